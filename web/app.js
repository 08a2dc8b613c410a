// The photoscore demo page: checks a photo in the browser, sends its bytes to the quality_ugc API with the demo
// tenant's credentials, and shows the answer. Plain browser JavaScript, no build step, no third-party code.
'use strict';

(() => {
  // The API's own limits (both bounds excluded): checked here so that a user learns at once, before any upload.
  const MIN_BYTES = 20 * 1024;
  const MAX_BYTES = 10 * 1024 * 1024;
  const DETAIL_LABELS = {
    aesthetic: ['Aesthetic', 'composition, light and colour, 1 to 10'],
    technical: ['Technical', 'focus, exposure, noise and compression, 1 to 10'],
  };

  const $ = (id) => document.getElementById(id);
  const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';

  const apiBase = withSlash(meta('photoscore:api-base') || new URL('/', location.href).href);
  const endpoint = new URL('v1/quality_ugc', apiBase).href;
  const credentialsUrl = new URL(meta('photoscore:credentials') || 'demo/credentials', location.href).href;
  const samplesUrl = new URL(meta('photoscore:samples') || 'samples/', location.href).href;

  let credentials;   // a promise of {clientId, clientSecret}, fetched once
  let previewUrl;    // the object URL of the photo on show
  let latest = 0;    // the newest request; older answers arriving late are dropped

  function withSlash(url) {
    return url.endsWith('/') ? url : url + '/';
  }

  function demoCredentials() {
    credentials ??= fetch(credentialsUrl, {cache: 'no-store'}).then(async (response) => {
      if (!response.ok) {
        // The service says why (e.g. that it has no demo tenant) in the API's error shape, when it can.
        const answer = await response.json().catch(() => ({}));
        throw new Error(answer.message
            ?? `This page could not get the demo credentials (${credentialsUrl} answered ${response.status}).`);
      }
      return response.json();
    }).catch((e) => {
      credentials = undefined; // try again with the next photo
      throw e;
    });
    return credentials;
  }

  // --- checks before upload ----------------------------------------------------------------------------------

  /** What is wrong with the photo for the API, or null. The type is read from its first bytes, not its name. */
  async function problemWith(blob, name) {
    const head = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
    const jpeg = head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
    const png = head.length === 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => head[i] === b);
    if (!jpeg && !png) {
      return `“${name}” is not a JPG or PNG photo (its content says so, whatever its name). Please choose a JPG or PNG.`;
    }
    if (blob.size <= MIN_BYTES) {
      return `“${name}” is too small: ${size(blob.size)}. A photo must be larger than 20 KB to be scored.`;
    }
    if (blob.size >= MAX_BYTES) {
      return `“${name}” is too large: ${size(blob.size)}. A photo must be smaller than 10 MB.`;
    }
    return null;
  }

  function size(bytes) {
    const text = bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    return `${text} (${bytes.toLocaleString('en')} bytes)`;
  }

  // --- scoring -------------------------------------------------------------------------------------------------

  async function score(blob, name) {
    const request = ++latest;
    clearResult();
    showPreview(blob, name);
    const problem = await problemWith(blob, name);
    if (request !== latest) {
      return;
    }
    if (problem) {
      showMessage(problem);
      return;
    }
    setBusy(true);
    try {
      const {clientId, clientSecret} = await demoCredentials();
      const form = new FormData();
      form.append('data', blob, name);
      const response = await fetch(`${endpoint}?details=true`, {
        method: 'POST',
        headers: {Authorization: `Basic ${base64(`${clientId}:${clientSecret}`)}`},
        body: form,
      });
      const answer = await response.json().catch(() => null);
      if (request !== latest) {
        return;
      }
      if (!response.ok || answer?.status !== 'ok') {
        showMessage(`The API did not score “${name}” (${response.status}): ${answer?.message ?? response.statusText}`);
        return;
      }
      showResult(answer, name, clientId, clientSecret);
    } catch (e) {
      if (request === latest) {
        showMessage(e instanceof TypeError ? `The API at ${endpoint} cannot be reached.` : e.message);
      }
    } finally {
      if (request === latest) {
        setBusy(false);
      }
    }
  }

  function base64(text) {
    return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  }

  // --- showing -------------------------------------------------------------------------------------------------

  function setBusy(busy) {
    $('result').setAttribute('aria-busy', String(busy));
    $('scoring').hidden = !busy;
  }

  function showMessage(text) {
    const message = $('message');
    message.textContent = text;
    message.hidden = false;
    $('result-empty').hidden = false;
  }

  function showPreview(blob, name) {
    if (previewUrl) {
      URL.revokeObjectURL(previewUrl);
    }
    previewUrl = URL.createObjectURL(blob);
    $('preview-image').src = previewUrl;
    $('preview-image').alt = `The photo ${name}`;
    $('preview-name').textContent = `${name}, ${size(blob.size)}`;
    $('preview').hidden = false;
  }

  function clearResult() {
    $('message').hidden = true;
    $('message').textContent = '';
    $('result-empty').hidden = true;
    $('score-block').hidden = true;
    $('detail-block').hidden = true;
    $('code-block').hidden = true;
    document.querySelectorAll('#band-list li').forEach((li) => li.classList.remove('current'));
    setBusy(false);
  }

  function showResult(answer, name, clientId, clientSecret) {
    const {score, class: qualityClass} = answer.quality;
    const percent = (Math.floor(score * 1000) / 10).toFixed(1);
    const band = document.querySelector(`#band-list li[data-class="${qualityClass}"]`);
    const bandName = band.querySelector('.band-name').textContent;
    $('score-percent').textContent = `${percent} %`;
    $('score-band').textContent = bandName;
    $('score-band').dataset.class = qualityClass;
    $('score-fill').style.width = `${percent}%`;
    $('score-fill').dataset.class = qualityClass;
    const bar = $('score-bar');
    bar.setAttribute('aria-valuenow', percent);
    bar.setAttribute('aria-valuetext', `${percent} %, ${bandName}`);
    $('score-meaning').textContent = `${bandName} (${band.querySelector('.band-range').textContent}): `
        + band.querySelector('.band-meaning').textContent;
    band.classList.add('current');
    $('score-block').hidden = false;
    showDetails(answer.details);
    showCode(answer, name, clientId, clientSecret);
  }

  /** The model outputs (numbers), then any hints or flags the answer carries. */
  function showDetails(details) {
    const list = $('details');
    list.replaceChildren();
    if (!details) {
      return;
    }
    for (const [key, value] of Object.entries(details)) {
      if (typeof value !== 'number') {
        continue;
      }
      const [label, about] = DETAIL_LABELS[key] ?? [key.replace(/_/g, ' '), null];
      const term = document.createElement('dt');
      term.textContent = label;
      if (about) {
        const note = document.createElement('span');
        note.className = 'note';
        note.textContent = about;
        term.append(' ', note);
      }
      const definition = document.createElement('dd');
      definition.dataset.key = key;
      definition.textContent = DETAIL_LABELS[key] ? `${value.toFixed(2)} / 10` : String(Number(value.toPrecision(4)));
      list.append(term, definition);
    }
    const hints = [details.hints, details.flags].flatMap(asList);
    $('hints').replaceChildren(...hints.map((hint) => {
      const item = document.createElement('li');
      item.textContent = hint;
      return item;
    }));
    $('hints-block').hidden = hints.length === 0;
    $('detail-block').hidden = list.children.length === 0 && hints.length === 0;
  }

  /** Hints and flags as lines of text, whether the answer gives strings, objects or a map. */
  function asList(value) {
    if (value == null) {
      return [];
    }
    const items = Array.isArray(value) ? value
        : typeof value === 'object' ? Object.entries(value).map(([k, v]) => (v === true ? k : `${k}: ${text(v)}`))
            : [value];
    return items.map(text);
  }

  function text(value) {
    if (typeof value !== 'object' || value === null) {
      return String(value);
    }
    return value.message ?? value.text ?? value.hint ?? JSON.stringify(value);
  }

  function showCode(answer, name, clientId, clientSecret) {
    const url = `${endpoint}?details=true`;
    const curlFile = /[;,"\\]/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : name;
    $('curl').textContent = [
      `curl --user ${shell(`${clientId}:${clientSecret}`)} \\`,
      `  -F ${shell(`data=@${curlFile}`)} \\`,
      `  ${shell(url)}`,
    ].join('\n');
    $('python').textContent = [
      'import requests',
      '',
      `with open(${python(name)}, 'rb') as photo:`,
      `    r = requests.post(${python(endpoint)}, params={'details': 'true'},`,
      `                      files={'data': photo}, auth=(${python(clientId)}, ${python(clientSecret)}))`,
      'print(r.json())',
    ].join('\n');
    $('answer').textContent = JSON.stringify(answer, null, 2);
    $('code-block').hidden = false;
  }

  function shell(value) {
    return `'${value.replace(/'/g, `'\\''`)}'`;
  }

  function python(value) {
    return `'${value.replace(/[\\']/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
  }

  // --- samples -------------------------------------------------------------------------------------------------

  async function loadSamples() {
    let samples = [];
    try {
      const response = await fetch(samplesUrl);
      if (response.ok) {
        samples = (await response.json()).samples ?? [];
      }
    } catch (e) {
      // no gallery on this server
    }
    $('samples-empty').hidden = samples.length > 0;
    $('samples').replaceChildren(...samples.map(sampleTile));
  }

  function sampleTile(sample) {
    const url = new URL(encodeURIComponent(sample.name), samplesUrl).href;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'tile';
    button.dataset.name = sample.name;
    const image = document.createElement('img');
    image.src = url;
    image.alt = `Sample photo ${sample.name}`;
    image.loading = 'lazy';
    const caption = document.createElement('span');
    caption.className = 'tile-caption';
    caption.textContent = `${sample.name} · ${(sample.bytes / 1024).toFixed(0)} KB`;
    button.append(image, caption);
    button.addEventListener('click', () => scoreSample(button, url, sample.name));
    const item = document.createElement('li');
    item.append(button);
    return item;
  }

  async function scoreSample(button, url, name) {
    document.querySelectorAll('#samples .tile').forEach((tile) => tile.removeAttribute('aria-current'));
    button.setAttribute('aria-current', 'true');
    try {
      const response = await fetch(url);
      if (!response.ok) {
        throw new Error(`The sample ${name} could not be loaded (${response.status}).`);
      }
      const photo = await response.blob();
      // The gallery lies below the result: bring the result into view while the photo is scored.
      $('result').scrollIntoView({block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches
          ? 'auto' : 'smooth'});
      await score(photo, name);
    } catch (e) {
      clearResult();
      showMessage(e instanceof TypeError ? `The sample ${name} could not be loaded.` : e.message);
    }
  }

  // --- wiring --------------------------------------------------------------------------------------------------

  function scoreFile(file) {
    if (file) {
      document.querySelectorAll('#samples .tile').forEach((tile) => tile.removeAttribute('aria-current'));
      score(file, file.name);
    }
  }

  const input = $('file');
  input.addEventListener('change', () => {
    scoreFile(input.files[0]);
    input.value = ''; // choosing the same file again scores it again
  });

  const dropzone = $('dropzone');
  ['dragenter', 'dragover'].forEach((type) => dropzone.addEventListener(type, (event) => {
    event.preventDefault();
    dropzone.classList.add('dragging');
  }));
  ['dragleave', 'drop'].forEach((type) => dropzone.addEventListener(type, () => dropzone.classList.remove('dragging')));
  dropzone.addEventListener('drop', (event) => {
    event.preventDefault();
    scoreFile(event.dataTransfer.files[0]);
  });
  // A photo dropped beside the zone must not make the browser leave the page to show it.
  ['dragover', 'drop'].forEach((type) => window.addEventListener(type, (event) => event.preventDefault()));

  $('openapi').href = new URL('openapi.yaml', apiBase).href;
  loadSamples();
})();

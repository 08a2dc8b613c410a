// The photoscore demo page: checks a photo in the browser, sends its bytes to the quality_ugc API with the demo
// tenant's credentials, and shows the answer. Plain browser JavaScript, no build step, no third-party code.
'use strict';

(() => {
  // The model outputs a user can read, in plain words. The answer may carry others (the pack decides: a quality
  // model's internal estimate, for one), which mean little beside the score and are left out here; the answer
  // itself, shown below, has them all.
  const DETAIL_LABELS = {
    aesthetic: {label: 'Aesthetic', about: 'composition, light and colour, 1 to 10', max: 10, digits: 2},
    technical: {label: 'Technical', about: 'focus, exposure, noise and compression, 1 to 10', max: 10, digits: 2},
  };

  const $ = (id) => document.getElementById(id);
  const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';

  const apiBase = withSlash(meta('photoscore:api-base') || new URL('/', location.href).href);
  const endpoint = new URL('v1/quality_ugc', apiBase).href;
  const credentialsUrl = new URL(meta('photoscore:credentials') || 'demo/credentials', location.href).href;
  const limitsUrl = new URL(meta('photoscore:limits') || 'demo/limits', location.href).href;
  const samplesUrl = new URL(meta('photoscore:samples') || 'samples/', location.href).href;

  let credentials;   // a promise of {clientId, clientSecret}, fetched once
  // The API's own size limits (both bounds excluded), as the service states them: {minBytesExclusive, min,
  // maxBytesExclusive, max}, or null where it does not (the API still checks every photo).
  const limits = fetch(limitsUrl).then((response) => (response.ok ? response.json() : null)).catch(() => null);
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

  /** Whether the bytes are a JPG or PNG, by their first bytes (never the name). */
  async function isPhoto(blob) {
    const head = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
    const jpeg = head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
    const png = head.length === 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => head[i] === b);
    return jpeg || png;
  }

  /** What is wrong with the photo for the API, or null: checked here so that a user learns at once. */
  function problemWith(blob, name, photo, rules) {
    if (!photo) {
      return `“${name}” is not a JPG or PNG photo (its content says so, whatever its name). Please choose a JPG or PNG.`;
    }
    if (!rules) {
      return null;
    }
    // Rounded away from the limit, so that the size shown never seems to meet it: 10,485,761 bytes is 10.1 MB.
    if (blob.size <= rules.minBytesExclusive) {
      return `“${name}” is too small: ${size(blob.size, Math.floor)}. A photo must be larger than ${rules.min} to be`
          + ' scored.';
    }
    if (blob.size >= rules.maxBytesExclusive) {
      return `“${name}” is too large: ${size(blob.size, Math.ceil)}. A photo must be smaller than ${rules.max}.`;
    }
    return null;
  }

  /** The size in KB or MB to a tenth, rounded by `round` (default: to the nearest), then in bytes. */
  function size(bytes, round = Math.round) {
    const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / 1024 / 1024, 'MB'];
    return `${(round(value * 10) / 10).toFixed(1)} ${unit} (${bytes.toLocaleString('en')} bytes)`;
  }

  // --- scoring -------------------------------------------------------------------------------------------------

  async function score(blob, name) {
    const request = ++latest;
    clearResult();
    const photo = await isPhoto(blob);
    const rules = await limits;
    if (request !== latest) {
      return;
    }
    showPreview(blob, name, photo);
    const problem = problemWith(blob, name, photo, rules);
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

  /** The file's name and size, and the photo itself when it is one (anything else would show as a broken image). */
  function showPreview(blob, name, photo) {
    if (previewUrl) {
      URL.revokeObjectURL(previewUrl);
      previewUrl = undefined;
    }
    const image = $('preview-image');
    if (photo) {
      previewUrl = URL.createObjectURL(blob);
      image.src = previewUrl;
      image.alt = `The photo ${name}`;
    } else {
      image.removeAttribute('src');
      image.alt = '';
    }
    image.hidden = !photo;
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

  /** The model outputs a user can read, then a hint for each flag the answer carries. */
  function showDetails(details) {
    const list = $('details');
    list.replaceChildren();
    for (const [key, value] of Object.entries(details ?? {})) {
      const known = DETAIL_LABELS[key];
      if (!known || typeof value !== 'number') {
        continue;
      }
      const term = document.createElement('dt');
      const note = document.createElement('span');
      note.className = 'note';
      note.textContent = known.about;
      term.append(known.label, ' ', note);
      const definition = document.createElement('dd');
      definition.dataset.key = key;
      definition.textContent = `${value.toFixed(known.digits)} / ${known.max}`;
      list.append(term, definition);
    }
    $('parts-block').hidden = list.children.length === 0;
    const hints = flagHints(details ?? {});
    $('hints').replaceChildren(...hints.map(({flag, hint}) => {
      const item = document.createElement('li');
      if (flag) {
        item.dataset.flag = flag;
      }
      item.textContent = hint;
      return item;
    }));
    $('hints-block').hidden = hints.length === 0;
    $('detail-block').hidden = list.children.length === 0 && hints.length === 0;
  }

  /**
   * One line per flag: its hint (the answer gives them in the same order), or the flag in plain words when the answer
   * has no hint for it. Hints without a flag are shown too.
   */
  function flagHints(details) {
    const flags = Array.isArray(details.flags) ? details.flags.map(String) : [];
    const hints = Array.isArray(details.hints) ? details.hints.map(String) : [];
    const lines = flags.map((flag, i) => ({flag, hint: hints[i] ?? plainWords(flag)}));
    return lines.concat(hints.slice(flags.length).map((hint) => ({flag: null, hint})));
  }

  function plainWords(flag) {
    const words = flag.replace(/[_-]+/g, ' ');
    return `The photo is flagged: ${words}.`;
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
    button.title = sample.name;
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
  limits.then((rules) => {
    if (rules) {
      $('file-rules').textContent = `JPG or PNG, larger than ${rules.min} and smaller than ${rules.max}.`;
    }
  });
  loadSamples();
})();

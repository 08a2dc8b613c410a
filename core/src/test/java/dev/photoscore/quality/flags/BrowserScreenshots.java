package dev.photoscore.quality.flags;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Screenshots rendered by a real browser: chat apps and pages of text laid out by headless Chromium (Debian's
 * {@code /usr/bin/chromium}, or {@code photoscore.chromium}) at a phone's or a desktop's size and pixel ratio, with
 * its own text rendering, anti-aliasing and emoji. Each page is generated from a seed: an app or page style, a theme,
 * random text, sometimes a photo in the chat or beside the article.
 */
final class BrowserScreenshots {

    /** A screen: CSS size and device pixel ratio. */
    record Screen(int width, int height, double scale) {
    }

    static final List<Screen> PHONES = List.of(new Screen(412, 892, 2.625), new Screen(390, 844, 3),
            new Screen(360, 780, 3));
    static final List<Screen> DESKTOPS = List.of(new Screen(1366, 768, 1), new Screen(1920, 1080, 1),
            new Screen(1440, 900, 2));

    private static final long TIMEOUT_SECONDS = 60;

    private BrowserScreenshots() {
    }

    /** The Chromium binary when this machine has one. */
    static Optional<Path> chromium() {
        Path binary = Path.of(System.getProperty("photoscore.chromium", "/usr/bin/chromium"));
        return Files.isExecutable(binary) ? Optional.of(binary) : Optional.empty();
    }

    /** The page rendered at the screen's size, as the screen's pixels. */
    static BufferedImage render(Path chromium, String html, Screen screen) {
        try {
            Path dir = Files.createTempDirectory("photoscore-screenshot");
            try {
                Path page = dir.resolve("page.html");
                Path shot = dir.resolve("shot.png");
                Files.writeString(page, html, StandardCharsets.UTF_8);
                Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox",
                        "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + dir.resolve("profile"),
                        "--window-size=" + screen.width() + "," + screen.height(),
                        "--force-device-scale-factor=" + screen.scale(), "--screenshot=" + shot,
                        page.toUri().toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("chromium took more than " + TIMEOUT_SECONDS + " s");
                }
                if (!Files.isRegularFile(shot)) {
                    throw new IllegalStateException("chromium wrote no screenshot (exit " + process.exitValue()
                            + "): " + Files.readString(dir.resolve("chromium.log")));
                }
                return ImageIO.read(shot.toFile());
            } finally {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A chat app's style: page, bar, bubbles and their ink. */
    private record ChatStyle(String background, String bar, String barInk, String theirs, String mine, String theirInk,
                             String mineInk, int radius) {
    }

    private static final List<ChatStyle> CHATS = List.of(
            new ChatStyle("#ECE5DD", "#075E54", "#fff", "#fff", "#DCF8C6", "#111", "#111", 8),
            new ChatStyle("#0B141A", "#202C33", "#E9EDEF", "#202C33", "#005C4B", "#E9EDEF", "#E9EDEF", 8),
            new ChatStyle("#D5E3C8", "#517DA2", "#fff", "#fff", "#EFFDDE", "#000", "#000", 14),
            new ChatStyle("#fff", "#F6F6F6", "#000", "#E9E9EB", "#0B84FE", "#000", "#fff", 18),
            new ChatStyle("#000", "#111", "#fff", "#303030", "#0084FF", "#fff", "#fff", 18));

    /** A phone's chat screen; {@code photo}, when given, may appear as a picture message. */
    static String chatPage(long seed, Optional<Path> photo) {
        Random random = new Random(seed);
        ChatStyle style = CHATS.get(random.nextInt(CHATS.size()));
        String font = List.of("'Liberation Sans'", "'DejaVu Sans'", "'Nimbus Sans'", "'Noto Sans Mono'")
                .get(random.nextInt(3));
        StringBuilder html = new StringBuilder(head(String.format(Locale.ROOT,
                "body{margin:0;font-family:%s,sans-serif;background:%s;overflow:hidden}"
                        + ".bar{background:%s;color:%s;height:60px;display:flex;align-items:center;padding:0 14px;"
                        + "font-size:19px;font-weight:bold}"
                        + ".av{width:38px;height:38px;border-radius:50%%;background:hsl(%d,45%%,65%%);margin-right:12px}"
                        + ".m{max-width:75%%;padding:7px 11px;margin:5px 10px;border-radius:%dpx;font-size:%dpx;"
                        + "line-height:1.35;clear:both}"
                        + ".in{background:%s;color:%s;float:left}.out{background:%s;color:%s;float:right}"
                        + ".t{font-size:11px;opacity:.6;text-align:right}.day{clear:both;text-align:center;"
                        + "font-size:12px;opacity:.7;padding:8px;color:%s}"
                        + "img{display:block;width:100%%;border-radius:%dpx;margin-bottom:4px}"
                        + ".input{position:fixed;bottom:0;left:0;right:0;height:54px;background:%s}",
                font, style.background(), style.bar(), style.barInk(), random.nextInt(360), style.radius(),
                15 + random.nextInt(3), style.theirs(), style.theirInk(), style.mine(), style.mineInk(),
                style.theirInk(), style.radius(), style.bar())));
        html.append("<div class=bar><div class=av></div>").append(FlagFixtures.sentence(random, 2))
                .append("</div><div class=day>").append(List.of("Today", "Yesterday", "Monday").get(random.nextInt(3)))
                .append("</div>");
        boolean photoShown = photo.isEmpty() || random.nextInt(3) == 0;
        for (int i = 0; i < 30; i++) {
            html.append("<div class='m ").append(random.nextBoolean() ? "in" : "out").append("'>");
            if (!photoShown && random.nextInt(4) == 0) {
                html.append("<img src='").append(photo.get().toUri()).append("'>");
                photoShown = true;
            } else {
                html.append(sentences(random, 1 + random.nextInt(2)));
                if (random.nextInt(6) == 0) {
                    html.append(" ").append(List.of("😊", "👍", "😂", "❤️", "🎉").get(random.nextInt(5)));
                }
            }
            html.append(String.format(Locale.ROOT, "<div class=t>%d:%02d</div></div>", 8 + random.nextInt(14),
                    random.nextInt(60)));
        }
        return html.append("<div class=input></div></body></html>").toString();
    }

    /** A page of text: an article, an inbox, a document, code, a feed or search results. */
    static String textPage(long seed, Optional<Path> photo) {
        Random random = new Random(seed);
        boolean dark = random.nextInt(4) == 0;
        String ink = dark ? "#E8EAED" : "#202124";
        String background = dark ? "#202124" : List.of("#fff", "#F8F9FA", "#FFFDF5").get(random.nextInt(3));
        String font = List.of("'Liberation Serif'", "'Liberation Sans'", "'DejaVu Sans'", "'DejaVu Serif'",
                "'Nimbus Roman'", "'URW Gothic'").get(random.nextInt(6));
        int size = 14 + random.nextInt(6);
        StringBuilder html = new StringBuilder(head(String.format(Locale.ROOT,
                "body{margin:0;font-family:%s,sans-serif;font-size:%dpx;line-height:1.5;background:%s;color:%s;"
                        + "overflow:hidden}.top{background:hsl(%d,55%%,%d%%);color:#fff;padding:12px 18px;"
                        + "font-size:18px;font-weight:bold}.main{padding:10px %d%%}a{color:#1A73E8}"
                        + "h1{font-size:1.8em;line-height:1.2}h2{font-size:1.3em}.row{border-bottom:1px solid #ddd;"
                        + "padding:8px 0}.b{font-weight:bold}.s{opacity:.7}img{float:right;width:40%%;margin:0 0 10px 14px}"
                        + "pre{font-family:'DejaVu Sans Mono',monospace;font-size:13px;line-height:1.45;margin:0}"
                        + ".k{color:#C678DD}.f{color:#61AFEF}.c{color:#7F848E}.q{color:#98C379}"
                        + ".card{background:%s;border-radius:10px;padding:10px 14px;margin:10px 0}"
                        + ".av{display:inline-block;width:28px;height:28px;border-radius:50%%;vertical-align:middle;"
                        + "margin-right:8px;background:#9ab}",
                font, size, background, ink, random.nextInt(360), dark ? 25 : 40, 3 + random.nextInt(15),
                dark ? "#303134" : "#fff")));
        html.append("<div class=top>").append(FlagFixtures.sentence(random, 2 + random.nextInt(3))).append("</div>")
                .append("<div class=main>");
        switch (random.nextInt(6)) {
            case 0 -> {
                html.append("<h1>").append(FlagFixtures.sentence(random, 4 + random.nextInt(6))).append("</h1>");
                if (photo.isPresent() && random.nextInt(3) == 0) {
                    html.append("<img src='").append(photo.get().toUri()).append("'>");
                }
                for (int p = 0; p < 12; p++) {
                    if (random.nextInt(4) == 0) {
                        html.append("<h2>").append(FlagFixtures.sentence(random, 3 + random.nextInt(4))).append("</h2>");
                    }
                    html.append("<p>").append(sentences(random, 3 + random.nextInt(5))).append("</p>");
                }
            }
            case 1 -> {
                for (int r = 0; r < 30; r++) {
                    html.append("<div class=row><span class=b>").append(FlagFixtures.sentence(random, 2))
                            .append("</span> &nbsp; ").append(FlagFixtures.sentence(random, 4 + random.nextInt(5)))
                            .append(" <span class=s>- ").append(FlagFixtures.sentence(random, 8)).append("</span></div>");
                }
            }
            case 2 -> {
                html.append("<pre>");
                for (int l = 0; l < 60; l++) {
                    html.append("<span class=c>").append(String.format(Locale.ROOT, "%3d  ", l + 1)).append("</span>")
                            .append("  ".repeat(random.nextInt(4))).append(codeLine(random)).append('\n');
                }
                html.append("</pre>");
            }
            case 3 -> {
                for (int c = 0; c < 8; c++) {
                    html.append("<div class=card><span class=av></span><span class=b>")
                            .append(FlagFixtures.sentence(random, 2)).append("</span> <span class=s>")
                            .append(1 + random.nextInt(23)).append("h</span><p>")
                            .append(sentences(random, 1 + random.nextInt(3))).append("</p><span class=s>")
                            .append(random.nextInt(200)).append(" likes &nbsp; ").append(random.nextInt(50))
                            .append(" comments</span></div>");
                }
            }
            case 4 -> {
                for (int r = 0; r < 10; r++) {
                    html.append("<p><span class=s>www.").append(FlagFixtures.WORDS[random.nextInt(FlagFixtures.WORDS.length)])
                            .append(".com</span><br><a>").append(FlagFixtures.sentence(random, 5 + random.nextInt(4)))
                            .append("</a><br>").append(sentences(random, 2)).append("</p>");
                }
            }
            default -> {
                for (int p = 0; p < 14; p++) {
                    html.append("<p>").append(sentences(random, 2 + random.nextInt(6))).append("</p>");
                }
            }
        }
        return html.append("</div></body></html>").toString();
    }

    private static String head(String css) {
        return "<!doctype html><html><head><meta charset=utf-8><style>" + css + "</style></head><body>";
    }

    private static String sentences(Random random, int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(i > 0 ? " " : "").append(FlagFixtures.sentence(random, 4 + random.nextInt(10)))
                    .append(List.of(".", ".", ".", "?", "!").get(random.nextInt(5)));
        }
        return text.toString();
    }

    private static String codeLine(Random random) {
        String[] words = FlagFixtures.WORDS;
        return switch (random.nextInt(4)) {
            case 0 -> "<span class=k>if</span> (" + words[random.nextInt(words.length)] + " == "
                    + words[random.nextInt(words.length)] + ") {";
            case 1 -> "<span class=f>" + words[random.nextInt(words.length)] + "</span>(<span class=q>\""
                    + FlagFixtures.sentence(random, 3) + "\"</span>);";
            case 2 -> "<span class=c>// " + FlagFixtures.sentence(random, 6) + "</span>";
            default -> "<span class=k>return</span> " + words[random.nextInt(words.length)] + ";";
        };
    }
}

package org.blip4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;
import org.blip4j.index.EmbeddingIndex;
import org.blip4j.index.EmbeddingIndexWriter;
import org.blip4j.task.Blip;
import org.blip4j.task.CaptionDecoding;
import org.blip4j.task.CaptionOptions;
import org.blip4j.task.Captioner;
import org.blip4j.task.Embedder;
import org.blip4j.vqa.VisualQuestionAnswerer;
import org.blip4j.vqa.VqaOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser: Debian's headless Chromium driven by Selenium through /usr/bin/chromedriver
 * (Selenium's own driver download is bypassed; the flags keep Chromium off every host but the loopback page).
 * Choosing an image captions it (again when an option changes), a question gets the VQA answer, texts get ITM
 * scores, a search shows thumbnails, and a garbage upload shows the server's error. Skipped, visibly, where
 * Chromium is not installed; CI installs it. Screenshots go to {@code -Dblip4j.screenshots=DIR}
 * (docs/img holds the committed ones), else target/screenshots.
 */
class WebPageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path tmp;

    static Blip captioner;
    static Blip matcher;
    static Blip vqa;
    static EmbeddingIndex index;
    static BlipServer server;
    static WebDriver browser;
    static Path shots;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            String why = "SKIPPED: browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                    + DRIVER + "); install them with: apt-get install -y chromium chromium-driver";
            System.err.println(why);
            Assumptions.abort(why);
        }
        captioner = Blip.load("builtin:shapes-captioner");
        matcher = Blip.load("builtin:shapes-filter");
        vqa = Blip.load(BlipServerTest.TINY_VQA.toString());
        List<String> ids = new ArrayList<>();
        List<RgbImage> imgs = new ArrayList<>();
        for (Path p : gallery()) {
            ids.add(p.toString());
            imgs.add(ImageLoader.load(p));
        }
        EmbeddingIndexWriter w = EmbeddingIndexWriter.open(tmp.resolve("idx"), "builtin:shapes-filter", 64, null);
        w.append("images", ids, new Embedder(matcher).embedImages(imgs));
        w.finish();
        index = EmbeddingIndex.open(tmp.resolve("idx"));
        server = BlipServer.start(new ServedModels(captioner, matcher, vqa, index), ServeOptions.defaults().withPort(0));

        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")),
                "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, o);
        String dir = System.getProperty("blip4j.screenshots");
        shots = Files.createDirectories(dir != null ? Path.of(dir) : Path.of("target", "screenshots"));
    }

    /**
     * The indexed images: drawn shapes, or with {@code -Dblip4j.web.images=DIR} the first 24 PNGs of DIR (e.g. a
     * {@code blip synth} world's images, which the built-in models know, for the documentation's screenshots).
     */
    static List<Path> gallery() throws Exception {
        String dir = System.getProperty("blip4j.web.images");
        if (dir != null) {
            try (var s = Files.list(Path.of(dir))) {
                return s.filter(p -> p.toString().endsWith(".png")).sorted().limit(24).toList();
            }
        }
        Path images = tmp.resolve("gallery");
        TestImages.write(images, 12, 96, 9);
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            out.add(images.resolve(String.format("img_%03d.png", i)));
        }
        return out;
    }

    /** The image the page uploads: drawn, or the 25th PNG of {@code blip4j.web.images} (not in the index). */
    static Path photo() throws Exception {
        String dir = System.getProperty("blip4j.web.images");
        Path photo = tmp.resolve("photo.png");
        if (dir != null) {
            try (var s = Files.list(Path.of(dir))) {
                Files.copy(s.filter(p -> p.toString().endsWith(".png")).sorted().skip(24).findFirst().orElseThrow(),
                        photo);
            }
        } else {
            Files.write(photo, TestImages.png(2024, 96));
        }
        return photo;
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (captioner != null) {
            new ServedModels(captioner, matcher, vqa, index).closeAll();
        }
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    static void screenshot(String name) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(shots.resolve(name + ".png"), png);
    }

    static String expectedCaption(Path file, CaptionOptions options, long seed) {
        RgbImage img = ImageLoader.load(file);
        return new Captioner(captioner, options).caption(List.of(img),
                new long[] {CaptionDecoding.imageSeed(seed, file.getFileName().toString())}).get(0).get(0).text();
    }

    static String firstCaption() {
        List<WebElement> items = browser.findElements(By.cssSelector("#captions li:not(.muted)"));
        return items.isEmpty() ? "" : items.get(0).getText();
    }

    @Test
    void theWholePageWorksInChromium() throws Exception {
        Path photo = photo();
        String beam = expectedCaption(photo, CaptionOptions.defaults(), 0);
        String greedy = expectedCaption(photo, CaptionOptions.defaults().withGeneration(
                new CaptionDecoding(org.blip4j.generate.GenerationOptions.Strategy.GREEDY, 3, 0.9, 50, 1.0, 0, 1, 20,
                        5, null, 1.0).options()), 0);
        String answer = new VisualQuestionAnswerer(vqa, VqaOptions.defaults(), null)
                .answer(ImageLoader.load(photo), "what shape is it?").answer();

        browser.get(server.url() + "/");
        waiting().until(d -> d.findElement(By.id("status")).getText().contains("ready"));
        screenshot("page-empty");

        browser.findElement(By.id("image")).sendKeys(photo.toString());
        waiting().until(d -> !firstCaption().isEmpty());
        assertEquals(beam, firstCaption(), "the page shows the server's caption for the chosen image");

        new Select(browser.findElement(By.id("mode"))).selectByValue("greedy");
        waiting().until(d -> firstCaption().equals(greedy));

        browser.findElement(By.id("question")).sendKeys("what shape is it?");
        browser.findElement(By.id("ask")).click();
        waiting().until(d -> !d.findElement(By.id("answer")).getText().isEmpty());
        assertEquals(answer, browser.findElement(By.id("answer")).getText());

        browser.findElement(By.id("itm-texts")).sendKeys(greedy + "\na blue square");
        browser.findElement(By.id("score")).click();
        waiting().until(d -> d.findElements(By.cssSelector("#itm-results tbody tr")).size() == 2);
        screenshot("page-caption-vqa-itm");

        browser.findElement(By.id("query")).sendKeys("a red circle");
        browser.findElement(By.id("search")).click();
        waiting().until(d -> d.findElements(By.cssSelector("#search-results img")).size() == Math.min(8,
                index.size("images")));
        waiting().until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return Array.from(document.querySelectorAll('#search-results img'))"
                        + ".every(i => i.complete && i.naturalWidth > 0)"));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('search-panel').scrollIntoView()");
        screenshot("page-search");

        Path garbage = tmp.resolve("not-an-image.png");
        Files.writeString(garbage, "plain text, not a PNG");
        browser.findElement(By.id("image")).sendKeys(garbage.toString());
        waiting().until(d -> d.findElement(By.id("error")).getText().contains("'image'"));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('error').scrollIntoView()");
        screenshot("page-error");
        assertTrue(new File(shots.toFile(), "page-search.png").length() > 1000);
    }
}

package dev.redissession.demo;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page in the system's headless Chromium, driven through the system's chromedriver: types into its fields,
 * clicks its buttons and waits until the page has finished the action (its {@code body[data-done]} counter).
 */
final class DemoPage implements AutoCloseable {

    private static final Duration ACTION = Duration.ofSeconds(20);
    /** Short: a click is answered in milliseconds, and the default half second adds up over a dozen clicks. */
    private static final Duration POLL = Duration.ofMillis(50);

    private final ChromeDriver driver;

    private DemoPage(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Starts the browser; its driver's log goes to {@code target/<label>-chromedriver.log}. */
    static DemoPage start(String label) {
        Path chromium = Binaries.require("chromium");
        Path chromedriver = Binaries.require("chromedriver");
        // Both paths explicit: Selenium Manager, which would download a browser or driver, never runs.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogFile(Path.of("target", label + "-chromedriver.log").toAbsolutePath().toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100");
        return new DemoPage(new ChromeDriver(service, options));
    }

    void open(URI uri) {
        driver.get(uri.toString());
    }

    void type(String id, String text) {
        WebElement field = element(id);
        field.clear();
        field.sendKeys(text);
    }

    /** Clicks the button and waits until its action has finished (the answer is on the page). */
    void click(String id) {
        int before = done();
        element(id).click();
        new WebDriverWait(driver, ACTION, POLL).withMessage("#" + id + " did not finish within " + ACTION.toSeconds()
                + " s; #message says '" + text("message") + "'").until(d -> done() > before);
    }

    String text(String id) {
        return element(id).getText();
    }

    String property(String id, String name) {
        return element(id).getDomProperty(name);
    }

    /** The page's DOM as HTML, to check what it shows. */
    String source() {
        return driver.getPageSource();
    }

    String cookie(String name) {
        Cookie cookie = driver.manage().getCookieNamed(name);
        return cookie == null ? null : cookie.getValue();
    }

    Path screenshot(Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    private int done() {
        String value = driver.findElement(By.tagName("body")).getDomAttribute("data-done");
        return value == null ? 0 : Integer.parseInt(value);
    }

    private WebElement element(String id) {
        return driver.findElement(By.id(id));
    }

    @Override
    public void close() {
        driver.quit();
    }
}

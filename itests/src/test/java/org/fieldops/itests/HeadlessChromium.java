package org.fieldops.itests;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium} and {@code chromium-driver} (installed by {@code .ci/run}), run
 * headless by Selenium, for the page tests ({@link BoardPageIT}, {@link ReportsPageIT}).
 */
final class HeadlessChromium {
  private HeadlessChromium() {}

  /**
   * Headless options with a window of {@code windowSize} ("width,height"); add what a test needs.
   */
  static ChromeOptions options(String windowSize) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--window-size=" + windowSize);
    return options;
  }

  /** Starts the browser through chromedriver. */
  static ChromeDriver start(ChromeOptions options) {
    System.setProperty("webdriver.chrome.driver", chromedriver());
    return new ChromeDriver(
        new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver())).build(),
        options);
  }

  private static String chromedriver() {
    return Files.isExecutable(Paths.get("/usr/bin/chromedriver"))
        ? "/usr/bin/chromedriver"
        : "/usr/lib/chromium/chromedriver";
  }

  private static String chromium() {
    return Files.isExecutable(Paths.get("/usr/bin/chromium"))
        ? "/usr/bin/chromium"
        : "/usr/lib/chromium/chromium";
  }
}

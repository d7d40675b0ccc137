package io.barcast.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.barcast.api.ApiServer;
import io.barcast.api.auth.ApiKeys;
import io.barcast.api.auth.Tier;
import io.barcast.api.dashboard.DashboardFiles;
import io.barcast.core.json.Json;
import io.barcast.jobs.PipelineTables;
import io.barcast.jobs.testing.TestDatabase;
import io.barcast.jobs.testing.TestKafka;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium driven by Selenium) against an API
 * over tables the real pipeline filled: the overview shows every symbol with the numbers the API
 * gives, the symbol chart's data are the bars' closes and the forecast's path and band, forecasts
 * and alerts committed to the job's topics while the page is open appear without a reload, a wrong
 * key is refused in words, and the console stays free of errors (a script error or a
 * Content-Security-Policy violation would show there). Screenshots of each view go to {@code
 * target/dashboard/}. Without Chromium the browser tests are skipped, saying how to install it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineTables.miniCluster();
    @RegisterExtension static final TestDatabase DB = new TestDatabase();
    @RegisterExtension static final TestKafka KAFKA = new TestKafka();

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "dashboard");
    private static final String PREFIX = "dashboard";
    private static final String ETH = PipelineTables.ETH;
    private static final String ETH_EUR = PipelineTables.ETH_EUR;
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = Json.newMapper();

    @TempDir static Path dir;

    private static ApiServer server;
    private static String key;
    private static ApiClient client;
    private static KafkaProducer<String, String> producer;
    private static ChromeDriverService driverService;
    private static ChromeDriver browser;

    @BeforeAll
    static void fillTablesAndStart() throws Exception {
        PipelineTables.fill(DB, KAFKA, dir, PREFIX);
        server =
                new ApiServer(
                                TestApiSettings.of(DB, KAFKA.bootstrapServers()).toBuilder()
                                        .topics(StreamFixtures.topics(PREFIX))
                                        .build())
                        .start();
        key = new ApiKeys(server.context().db()).create("dashboard", Tier.DEFAULT).secret();
        client =
                new ApiClient(server.url(), key)
                        .validating(OpenApiContract.served(new ApiClient(server.url(), null)));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
        if (producer != null) {
            producer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The browser, started on first use; skips the test when Chromium is not installed. */
    private static ChromeDriver browser() throws IOException {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the dashboard's browser tests need Chromium and its driver at /usr/bin: run"
                        + " `apt-get update && apt-get install -y chromium chromium-driver`, then"
                        + " `./mvnw -pl jobs -am verify -Dit.test=DashboardITCase -Dtest=NONE"
                        + " -Dsurefire.failIfNoSpecifiedTests=false`");
        if (browser == null) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-dev-shm-usage",
                    "--disable-gpu",
                    "--window-size=1280,800",
                    "--force-device-scale-factor=1",
                    "--lang=en-US");
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            // the driver is named, so Selenium Manager never looks for (or downloads) one
            driverService =
                    new ChromeDriverService.Builder()
                            .usingDriverExecutable(CHROMEDRIVER.toFile())
                            .usingAnyFreePort()
                            .build();
            browser = new ChromeDriver(driverService, options);
            viewport(1280, 800, false);
            Files.createDirectories(SCREENSHOTS);
        }
        return browser;
    }

    // ---- static files

    @Test
    @Order(0)
    void thePageAndItsChartLibraryAreServedWithoutAKeyAndAreNoRoutes() {
        ApiClient anonymous = new ApiClient(server.url(), null);
        ApiClient.Response page = anonymous.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy"))
                .isEqualTo(DashboardFiles.CONTENT_SECURITY_POLICY)
                .contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        assertThat(page.body()).contains("/dashboard.js").doesNotContain("<script>");
        for (String file :
                List.of(
                        "/dashboard.js",
                        "/dashboard.css",
                        DashboardFiles.UPLOT_PATH + "/dist/uPlot.iife.min.js",
                        DashboardFiles.UPLOT_PATH + "/dist/uPlot.min.css")) {
            ApiClient.Response response = anonymous.get(file);
            assertThat(response.status()).as(file).isEqualTo(200);
            assertThat(response.header("Content-Security-Policy")).as(file).isNotNull();
        }
        assertThat(server.routes())
                .extracting(ApiServer.Route::path)
                .allMatch(path -> path.startsWith("/api/") || !path.contains("dashboard"))
                .doesNotContain("/");
        // the API itself still needs a key, and unknown paths are still problems
        assertThat(anonymous.get("/api/v1/status").status()).isEqualTo(401);
        ApiClient.Response missing = anonymous.get("/api/v1/nowhere");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
    }

    // ---- the browser

    @Test
    @Order(1)
    void aWrongKeyIsRefusedInWordsAndNotKept() throws Exception {
        WebDriver page = browser();
        page.get(server.url() + "/");
        WebElement input =
                waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("key-input")));
        input.sendKeys("bk_not-a-key-barcast-issued");
        input.sendKeys(Keys.ENTER);
        waitFor(d -> !d.findElement(By.id("key-error")).getText().isEmpty());
        assertThat(page.findElement(By.id("key-error")).getText())
                .contains("refused the key")
                .contains("401")
                .contains("not one barcast issued");
        assertThat(script("return sessionStorage.getItem('barcast.apiKey')")).isNull();
        assertThat(page.getCurrentUrl()).doesNotContain("bk_");
        screenshot("key-refused");
        // the refused call is logged by the browser as a failed load; the console is checked
        // from here on
        page.manage().logs().get(LogType.BROWSER);
    }

    @Test
    @Order(2)
    void theOverviewListsEverySymbolWithTheApisNumbers() throws Exception {
        signIn();
        JsonNode latest = client.get("/api/v1/predictions?limit=500").json().get("items");
        List<String> symbols = new ArrayList<>();
        latest.forEach(s -> symbols.add(s.get("symbol").asText()));
        assertThat(symbols).contains(ETH, ETH_EUR);
        waitFor(d -> rows().size() == symbols.size());
        assertThat(rows()).extracting(r -> r.getDomAttribute("data-symbol")).isEqualTo(symbols);

        Map<String, JsonNode> full = new HashMap<>();
        ArrayNode asked = JSON.createArrayNode();
        symbols.forEach(asked::add);
        client.post("/api/v1/predictions/batch", "{\"symbols\":" + asked + ",\"detail\":\"full\"}")
                .json()
                .get("items")
                .forEach(f -> full.put(f.get("symbol").asText(), f));
        Map<String, JsonNode> trades = new HashMap<>();
        client.get("/api/v1/recommendations?limit=500")
                .json()
                .get("items")
                .forEach(t -> trades.putIfAbsent(t.get("symbol").asText(), t));
        Map<String, JsonNode> skill = new HashMap<>();
        client.get("/api/v1/performance?horizon=all")
                .json()
                .get("items")
                .forEach(p -> skill.put(p.get("symbol").asText(), p));

        for (String symbol : symbols) {
            JsonNode f = full.get(symbol);
            JsonNode last = f.get("path").get(f.get("path").size() - 1);
            assertThat(number(symbol, "move"))
                    .isEqualTo(f.get("expected_return_percent").asDouble());
            assertThat(text(symbol, "move"))
                    .contains(String.format("%.2f", f.get("expected_return_percent").asDouble()));
            assertThat(number(symbol, "confidence")).isEqualTo(f.get("confidence").asDouble());
            assertThat(text(symbol, "confidence"))
                    .contains(f.get("confidence_level").asText().replace('_', ' '));
            double band =
                    (last.get("upper").asDouble() - last.get("lower").asDouble())
                            / last.get("price").asDouble()
                            * 100;
            assertThat(number(symbol, "band")).isCloseTo(band, within(1e-12));
            JsonNode trade = trades.get(symbol);
            assertThat(value(symbol, "trade"))
                    .isEqualTo(trade == null ? null : trade.get("recommendation_id").asText());
            if (trade != null) {
                assertThat(text(symbol, "trade")).startsWith(trade.get("side").asText());
            }
            JsonNode figures = skill.get(symbol);
            if (figures == null || figures.get("skill").isNull()) {
                assertThat(value(symbol, "skill")).isNull();
            } else {
                assertThat(number(symbol, "skill")).isEqualTo(figures.get("skill").asDouble());
            }
            assertThat(Long.parseLong(value(symbol, "bar_age")))
                    .isEqualTo(Instant.parse(f.get("as_of").asText()).toEpochMilli());
            assertThat(Long.parseLong(value(symbol, "forecast_age")))
                    .isEqualTo(Instant.parse(f.get("predicted_at").asText()).toEpochMilli());
        }
        screenshot("overview");

        // sorted by keyboard: the move column's button, once (largest first), twice (smallest)
        WebElement move = browser.findElement(By.cssSelector("th[data-column=move] button"));
        move.sendKeys(Keys.ENTER);
        assertThat(moves()).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(
                        browser.findElement(By.cssSelector("th[data-column=move]"))
                                .getDomAttribute("aria-sort"))
                .isEqualTo("descending");
        move.sendKeys(Keys.ENTER);
        assertThat(moves()).isSorted();
        // filtered by symbol
        browser.findElement(By.id("filter-symbol")).sendKeys("eur");
        waitFor(d -> rows().size() == 1);
        assertThat(rows().get(0).getDomAttribute("data-symbol")).isEqualTo(ETH_EUR);
        browser.findElement(By.id("filter-symbol"))
                .sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        waitFor(d -> rows().size() == symbols.size());
    }

    @Test
    @Order(3)
    void theSymbolChartDrawsTheClosesTheForecastAndItsBand() throws Exception {
        signIn();
        browser.findElement(By.cssSelector("tr[data-symbol='" + ETH + "'] a")).click();
        awaitChart();
        String path = "/api/v1/predictions/" + enc(ETH);
        JsonNode latest = client.get(path).json();
        List<List<Double>> data = chartData();
        List<String> labels = chartLabels();
        assertThat(labels)
                .containsExactly(
                        "Time (UTC)",
                        "Actual close",
                        "Forecast",
                        "Band lower",
                        "Band upper",
                        "Earlier forecast",
                        "Trade entry",
                        "Target",
                        "Stop");
        List<Double> x = data.get(0);
        assertThat(x).isSorted().doesNotHaveDuplicates();

        // the closes: every bar from the chart's first time on, each at its time
        long first = Math.round(x.get(0) * 1000);
        List<JsonNode> bars = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page =
                    client.get(
                                    "/api/v1/bars/"
                                            + enc(ETH)
                                            + "?order=oldest&limit=500&from="
                                            + Instant.ofEpochMilli(first)
                                            + (cursor == null ? "" : "&cursor=" + cursor))
                            .json();
            page.get("items").forEach(bars::add);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(bars).hasSizeGreaterThan(100);
        Map<Long, Double> closes = new HashMap<>();
        bars.forEach(
                b ->
                        closes.put(
                                Instant.parse(b.get("bar_time").asText()).getEpochSecond(),
                                b.get("close").asDouble()));
        assertThat(series(data, 1)).isEqualTo(closes);

        // the forecast and both band edges: its path, from the last close at its as-of bar
        Map<Long, Double> price = new HashMap<>();
        Map<Long, Double> lower = new HashMap<>();
        Map<Long, Double> upper = new HashMap<>();
        long asOf = Instant.parse(latest.get("as_of").asText()).getEpochSecond();
        double lastClose = latest.get("last_close").asDouble();
        price.put(asOf, lastClose);
        lower.put(asOf, lastClose);
        upper.put(asOf, lastClose);
        for (JsonNode point : latest.get("path")) {
            long t = Instant.parse(point.get("time").asText()).getEpochSecond();
            price.put(t, point.get("price").asDouble());
            lower.put(t, point.get("lower").asDouble());
            upper.put(t, point.get("upper").asDouble());
        }
        assertThat(series(data, 2)).isEqualTo(price);
        assertThat(series(data, 3)).isEqualTo(lower);
        assertThat(series(data, 4)).isEqualTo(upper);
        assertThat(lower.values()).anySatisfy(v -> assertThat(v).isLessThan(lastClose));

        // the earlier forecast chosen in the history, over what then happened
        String earlierAsOf = (String) script("return document.getElementById('history').value");
        assertThat(earlierAsOf).isNotEmpty();
        JsonNode earlier = client.get(path + "?as_of=" + enc(earlierAsOf)).json();
        Map<Long, Double> before = new HashMap<>();
        before.put(
                Instant.parse(earlier.get("as_of").asText()).getEpochSecond(),
                earlier.get("last_close").asDouble());
        for (JsonNode point : earlier.get("path")) {
            before.put(
                    Instant.parse(point.get("time").asText()).getEpochSecond(),
                    point.get("price").asDouble());
        }
        assertThat(series(data, 5)).isEqualTo(before);
        assertThat(series(data, 1).keySet())
                .as("closes came after the earlier forecast was made")
                .anySatisfy(t -> assertThat(before).containsKey(t));

        // the trade, from entry to exit
        JsonNode trades = client.get("/api/v1/recommendations?symbols=" + enc(ETH)).json();
        if (trades.get("items").isEmpty()) {
            assertThat(series(data, 7)).isEmpty();
            assertThat(browser.findElement(By.id("trade")).getText()).contains("No active trade");
        } else {
            JsonNode trade = trades.get("items").get(0);
            assertThat(series(data, 6).values()).containsOnly(trade.get("entry_price").asDouble());
            assertThat(series(data, 7).values()).containsOnly(trade.get("target_price").asDouble());
            assertThat(series(data, 8).values()).containsOnly(trade.get("stop_loss").asDouble());
            assertThat(series(data, 7))
                    .containsKeys(
                            Instant.parse(trade.get("entry_time").asText()).getEpochSecond(),
                            Instant.parse(trade.get("exit_time").asText()).getEpochSecond());
        }

        // accuracy per horizon and the ten factors
        JsonNode performance =
                client.get("/api/v1/performance?symbols=" + enc(ETH)).json().get("items");
        List<WebElement> horizons = browser.findElements(By.cssSelector("#accuracy tbody tr"));
        assertThat(horizons).hasSize(performance.size());
        for (JsonNode p : performance) {
            WebElement row =
                    browser.findElement(
                            By.cssSelector(
                                    "#accuracy tr[data-horizon='"
                                            + p.get("horizon").asText()
                                            + "']"));
            assertThat(cellValue(row, "mae")).isEqualTo(p.get("mae_percent").asDouble());
            assertThat(cellValue(row, "coverage")).isEqualTo(p.get("band_coverage").asDouble());
            assertThat(cellValue(row, "points")).isEqualTo(p.get("points").asDouble());
            if (!p.get("skill").isNull()) {
                assertThat(cellValue(row, "skill")).isEqualTo(p.get("skill").asDouble());
            }
        }
        JsonNode factors = latest.get("confidence_detail").get("factors");
        assertThat(factors.size()).isEqualTo(10);
        assertThat(browser.findElements(By.cssSelector("#factors tbody tr"))).hasSize(10);
        factors.properties()
                .forEach(
                        factor ->
                                assertThat(
                                                cellValue(
                                                        browser.findElement(
                                                                By.cssSelector(
                                                                        "#factors tr[data-factor='"
                                                                                + factor.getKey()
                                                                                + "']")),
                                                        "value"))
                                        .isEqualTo(factor.getValue().asDouble()));
        screenshot("symbol");
    }

    @Test
    @Order(4)
    void forecastsAndAlertsCommittedWhileThePageIsOpenAppearWithoutAReload() throws Exception {
        signIn();
        StreamFixtures.awaitReader(server, key, List.of("predictions", "alerts"));
        producer = StreamFixtures.transactional(KAFKA.bootstrapServers());
        awaitLive();
        Object pageMark = script("window.barcastPageMark = 'unreloaded'; return 1");
        assertThat(pageMark).isNotNull();

        // on the overview: the row of the symbol shows the new forecast's move
        ObjectNode usd = nextForecast(ETH, 1.05);
        commit("predictions", ETH, usd);
        double move = moveOf(usd);
        waitFor(d -> number(ETH, "move") == move);
        assertThat(number(ETH, "confidence")).isEqualTo(usd.get("confidence").asDouble());

        // on the symbol view: the chart draws the new path
        browser.findElement(By.cssSelector("tr[data-symbol='" + ETH_EUR + "'] a")).click();
        awaitChart();
        awaitLive();
        ObjectNode eur = nextForecast(ETH_EUR, 0.97);
        commit("predictions", ETH_EUR, eur);
        Map<Long, Double> path = new HashMap<>();
        path.put(eur.get("asOf").asLong() / 1000, eur.get("lastClose").asDouble());
        for (int i = 0; i < eur.get("times").size(); i++) {
            path.put(eur.get("times").get(i).asLong() / 1000, eur.get("prices").get(i).asDouble());
        }
        waitFor(d -> series(chartData(), 2).equals(path));
        assertThat(browser.findElement(By.id("symbol-summary")).getText())
                .contains(String.format("%.2f", moveOf(eur)));

        // an alert, on the alerts view
        browser.findElement(By.id("nav-alerts")).click();
        String id = UUID.randomUUID().toString();
        ObjectNode alert = JSON.createObjectNode();
        alert.put("id", id);
        alert.put("severity", "critical");
        alert.put("category", "feed");
        alert.put("symbol", ETH);
        alert.put("message", "no bars of X:ETHUSD for 45 minutes (a test alert)");
        alert.put("time", System.currentTimeMillis());
        commit("alerts", ETH, alert);
        waitFor(
                d ->
                        !d.findElements(By.cssSelector("#alerts tr[data-alert='" + id + "']"))
                                .isEmpty());
        assertThat(
                        browser.findElement(By.cssSelector("#alerts tr[data-alert='" + id + "']"))
                                .getText())
                .contains("critical")
                .contains("a test alert");
        assertThat(browser.findElement(By.id("alert-count")).getText()).isNotEmpty();
        assertThat(script("return window.barcastPageMark")).isEqualTo("unreloaded");
        screenshot("alerts");
    }

    @Test
    @Order(5)
    void theBrowserConsoleHasNoErrors() throws Exception {
        browser();
        List<LogEntry> logs = browser.manage().logs().get(LogType.BROWSER).getAll();
        assertThat(logs)
                .as("console entries since the key was accepted")
                .noneMatch(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue());
    }

    @Test
    @Order(6)
    void atPhoneWidthNothingIsWiderThanTheScreen() throws Exception {
        signIn();
        viewport(390, 844, true);
        try {
            browser.navigate().refresh();
            waitFor(d -> "overview".equals(view()) && !rows().isEmpty());
            assertThat(script("return document.documentElement.scrollWidth")).isEqualTo(390L);
            screenshot("overview-phone");
            browser.findElement(By.cssSelector("tr[data-symbol='" + ETH + "'] a")).click();
            awaitChart();
            assertThat(script("return document.documentElement.scrollWidth")).isEqualTo(390L);
            assertThat((Long) script("return window.barcastChart.width")).isLessThanOrEqualTo(390L);
            screenshot("symbol-phone");
        } finally {
            viewport(1280, 800, false);
        }
    }

    // ---- helpers

    /** Opens the page and gives it the key, unless this tab has it already. */
    private static void signIn() throws IOException {
        WebDriver page = browser();
        // a new page each time: the tab keeps the key, nothing else
        page.get("about:blank");
        page.get(server.url() + "/#/");
        waitFor(d -> "key".equals(view()) || "overview".equals(view()));
        if ("key".equals(view())) {
            WebElement input = page.findElement(By.id("key-input"));
            input.sendKeys(key);
            page.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        }
        waitFor(d -> "overview".equals(view()) && !rows().isEmpty());
        assertThat(page.getCurrentUrl()).doesNotContain(key);
    }

    /** The page's viewport, whatever the window around it: screenshots of exactly this size. */
    private static void viewport(int width, int height, boolean mobile) {
        browser.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of(
                        "width", width,
                        "height", height,
                        "deviceScaleFactor", 1,
                        "mobile", mobile));
    }

    private static String view() {
        return browser.findElement(By.tagName("html")).getDomAttribute("data-view");
    }

    private static void awaitLive() {
        waitFor(d -> "on".equals(d.findElement(By.tagName("html")).getDomAttribute("data-live")));
    }

    private static void awaitChart() {
        waitFor(
                d ->
                        "symbol".equals(view())
                                && script("return window.barcastChart ? 1 : 0").equals(1L));
    }

    private static <T> T waitFor(java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, PATIENCE)
                // the page re-renders a table when an event arrives
                .ignoring(StaleElementReferenceException.class)
                .withMessage(
                        () ->
                                "the page shows: "
                                        + browser.findElement(By.tagName("main"))
                                                .getText()
                                                .lines()
                                                .limit(12)
                                                .toList()
                                        + "; its requests: "
                                        + script(
                                                "return performance.getEntriesByType('resource')"
                                                        + ".map(function (e) { return e.name.replace(location.origin, '')"
                                                        + " + ' at ' + Math.round(e.startTime)"
                                                        + " + ' took ' + Math.round(e.duration); })"))
                .until(condition);
    }

    private static Object script(String js) {
        return ((JavascriptExecutor) browser).executeScript(js);
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#overview tbody tr"));
    }

    /** The overview's cell of a symbol and column. */
    private static WebElement overviewCell(String symbol, String column) {
        return browser.findElement(
                By.cssSelector(
                        "#overview tr[data-symbol='"
                                + symbol
                                + "'] [data-column='"
                                + column
                                + "']"));
    }

    /** What a cell shows a number or an id of, exactly (its {@code data-value}). */
    private static String value(String symbol, String column) {
        return overviewCell(symbol, column).getDomAttribute("data-value");
    }

    private static double number(String symbol, String column) {
        return Double.parseDouble(value(symbol, column));
    }

    private static String text(String symbol, String column) {
        return overviewCell(symbol, column).getText();
    }

    private static double cellValue(WebElement row, String column) {
        return Double.parseDouble(
                row.findElement(By.cssSelector("[data-column='" + column + "']"))
                        .getDomAttribute("data-value"));
    }

    private static List<Double> moves() {
        List<Double> moves = new ArrayList<>();
        for (WebElement row : rows()) {
            moves.add(
                    Double.parseDouble(
                            row.findElement(By.cssSelector("[data-column=move]"))
                                    .getDomAttribute("data-value")));
        }
        return moves;
    }

    /** The chart's data: x in epoch seconds, then a list per series, nulls where it has none. */
    @SuppressWarnings("unchecked")
    private static List<List<Double>> chartData() {
        List<List<Object>> raw = (List<List<Object>>) script("return window.barcastChart.data");
        List<List<Double>> data = new ArrayList<>();
        for (List<Object> column : raw) {
            List<Double> values = new ArrayList<>();
            column.forEach(v -> values.add(v == null ? null : ((Number) v).doubleValue()));
            data.add(values);
        }
        return data;
    }

    @SuppressWarnings("unchecked")
    private static List<String> chartLabels() {
        return (List<String>)
                script("return window.barcastChart.series.map(function (s) { return s.label; })");
    }

    /** A series' points by time (epoch seconds), without the times it has no value at. */
    private static Map<Long, Double> series(List<List<Double>> data, int index) {
        Map<Long, Double> points = new HashMap<>();
        List<Double> x = data.get(0);
        List<Double> y = data.get(index);
        for (int i = 0; i < x.size(); i++) {
            if (y.get(i) != null) {
                points.put(Math.round(x.get(i)), y.get(i));
            }
        }
        return points;
    }

    /**
     * The symbol's newest forecast record as the job committed it, made a bar later and with its
     * path scaled by {@code scale}: a forecast the page has not seen.
     */
    private static ObjectNode nextForecast(String symbol, double scale) throws IOException {
        List<ConsumerRecord<String, String>> committed =
                KAFKA.consume(PREFIX + ".predictions", true, 1, Duration.ofSeconds(30));
        ConsumerRecord<String, String> newest = null;
        for (ConsumerRecord<String, String> record : committed) {
            if (record.key().equals(symbol)) {
                newest = record;
            }
        }
        assertThat(newest).as("a committed forecast of " + symbol).isNotNull();
        ObjectNode record = (ObjectNode) JSON.readTree(newest.value());
        record.put("id", UUID.randomUUID().toString());
        record.put("asOf", record.get("asOf").asLong() + 15 * 60_000);
        record.put("reason", "manual");
        record.put("predictedAt", System.currentTimeMillis());
        for (String field : List.of("prices", "lower", "upper")) {
            ArrayNode values = (ArrayNode) record.get(field);
            for (int i = 0; i < values.size(); i++) {
                values.set(i, values.get(i).asDouble() * scale);
            }
        }
        return record;
    }

    /** What the page shows as the move of a forecast record: as the API computes it. */
    private static double moveOf(ObjectNode record) {
        JsonNode prices = record.get("prices");
        return 100
                * (prices.get(prices.size() - 1).asDouble() / record.get("lastClose").asDouble()
                        - 1);
    }

    private static void commit(String kind, String symbol, ObjectNode record) {
        StreamFixtures.inTransaction(
                producer, true, PREFIX + "." + kind, symbol, record.toString());
    }

    private static void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}

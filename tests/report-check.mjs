// report-check.mjs -- open a leap report in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) and check that it works
// offline: every chart drew (a canvas of non-zero size with pixels painted),
// no console error or page error, no request but the file itself.
//   node tests/report-check.mjs REPORT.html MIN_CHARTS [SCREENSHOT.png]
// Prints one line per check and exits 1 if any failed.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const [file, minCharts, shot] = process.argv.slice(2);
const url = pathToFileURL(resolve(file)).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const errors = [], requests = [];
page.on("console", m => { if (m.type() === "error") errors.push(m.text()); });
page.on("pageerror", err => errors.push(String(err)));
page.on("request", r => { if (r.url() !== url) requests.push(r.url()); });
await page.goto(url, { waitUntil: "load" });
await page.waitForSelector("body[data-charts-drawn]", { timeout: 15000 }).catch(() => {});
const charts = await page.evaluate(() => Array.from(document.querySelectorAll(".uplot")).map(u => {
  const c = u.querySelector("canvas");
  if (!c) return { w: 0, h: 0, painted: 0 };
  const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let painted = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
  return { w: c.width, h: c.height, painted };
}));
if (shot) {
  await page.screenshot({ path: shot, clip: { x: 0, y: 0, width: 1280, height: 900 } });
}
await browser.close();

let bad = 0;
const check = (ok, what) => { console.log((ok ? "PASS  " : "FAIL  ") + what); if (!ok) bad++; };
check(charts.length >= Number(minCharts), `report: ${charts.length} charts drawn (at least ${minCharts})`);
const blank = charts.filter(c => !(c.w > 0 && c.h > 0 && c.painted > 200));
check(charts.length > 0 && blank.length === 0, `report: every chart has a canvas of non-zero size with lines painted (${blank.length} blank)`);
check(errors.length === 0, `report: no console or page errors${errors.length ? ": " + errors.join(" | ") : ""}`);
check(requests.length === 0, `report: no network requests${requests.length ? ": " + requests.join(" ") : ""}`);
process.exit(bad ? 1 : 0);

// Drives the demo page the way a person does: finds controls by their accessible labels,
// presses buttons, waits for the result to show, and saves a screenshot per step.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

/** The demo page in one browser tab; screenshots go to `screenshotDir`, emptied first. */
export class DemoPage {
  constructor(page, screenshotDir) {
    this.page = page;
    this.screenshotDir = screenshotDir;
    this.screenshotCount = 0;
    // Start empty, so no screenshot of an earlier run is taken for one of this run.
    rmSync(screenshotDir, { recursive: true, force: true });
    mkdirSync(screenshotDir, { recursive: true });
  }

  /** The section (ARIA region) whose heading is `title`. */
  region(title) {
    return this.page.getByRole("region", { name: title, exact: true });
  }

  /** Fills the labelled fields of a section: `{ "User ID": "alice", ... }`. */
  async fill(title, values) {
    const region = this.region(title);
    for (const [label, value] of Object.entries(values)) {
      const control = region.getByLabel(label, { exact: true });
      const tag = await control.evaluate((element) => element.tagName);
      if (tag === "SELECT") {
        await control.selectOption(value);
      } else if (typeof value === "boolean") {
        await control.setChecked(value);
      } else {
        await control.fill(String(value));
      }
    }
  }

  /**
   * Presses the button named `button` in section `title` and waits until the output area
   * `outputId` shows a new result. Returns its `state` ("ok" or "error") and visible text.
   */
  async press(title, button, outputId) {
    const output = this.page.locator(`#${outputId}`);
    const before = Number((await output.getAttribute("data-seq")) ?? 0);
    await this.region(title).getByRole("button", { name: button, exact: true }).click();
    return this.waitForOutput(outputId, before);
  }

  /** Waits until output area `outputId` has shown more than `before` results. */
  async waitForOutput(outputId, before) {
    await this.page.waitForFunction(
      ([id, seq]) => Number(document.getElementById(id).dataset.seq ?? 0) > seq,
      [outputId, before],
    );
    const output = this.page.locator(`#${outputId}`);
    return {
      state: await output.getAttribute("data-state"),
      text: await output.innerText(),
    };
  }

  /** Current sequence number of an output area. */
  async outputSeq(outputId) {
    return Number((await this.page.locator(`#${outputId}`).getAttribute("data-seq")) ?? 0);
  }

  /** Rows of the user table as `{ id, name, role, teams, custom, state }`. */
  usersTable() {
    return this.page.locator("#users-table tbody tr").evaluateAll((rows) =>
      rows.map((row) => {
        const cells = [...row.cells].map((cell) => cell.innerText.trim());
        return {
          id: cells[0],
          name: cells[1],
          role: cells[2],
          teams: cells[3],
          custom: cells[4],
          state: cells[5],
        };
      }),
    );
  }

  /** IDs in the user table, sorted. */
  async userIds() {
    return (await this.usersTable()).map((row) => row.id).sort();
  }

  /** Saves a full-page screenshot named `NN-name.png`. */
  async screenshot(name) {
    this.screenshotCount += 1;
    const file = `${String(this.screenshotCount).padStart(2, "0")}-${name}.png`;
    await this.page.screenshot({ path: join(this.screenshotDir, file), fullPage: true });
  }
}

/**
 * Counts the form controls of the page and lists those without an accessible name, as
 * `{ count, unlabelled }`.
 */
export function unlabelledControls(page) {
  return page.evaluate(() => {
    const controls = document.querySelectorAll("input, select, textarea, button, progress");
    const missing = [];
    for (const control of controls) {
      const labelled =
        (control.labels && control.labels.length > 0) ||
        control.getAttribute("aria-label") ||
        control.getAttribute("aria-labelledby") ||
        (control.tagName === "BUTTON" && control.textContent.trim() !== "");
      if (!labelled) missing.push(control.outerHTML.slice(0, 120));
    }
    return { count: controls.length, unlabelled: missing };
  });
}

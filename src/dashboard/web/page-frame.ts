/** Building blocks shared by the pages: the main area, titled panels, legends, tabs. */
import { browser, element, type DomElement } from "./browser.js";

export function mainArea(layout: "" | "two-columns" = ""): DomElement {
  const main = browser.document.getElementById("app") ?? browser.document.body;
  if (layout) main.classList.add(layout);
  return main;
}

export interface Panel {
  section: DomElement;
  heading: DomElement;
  /** The small text next to the title. */
  note: DomElement;
  body: DomElement;
}

export function panel(parent: DomElement, title: string, id = ""): Panel {
  const note = element("small");
  const heading = element("h2", "", title, note);
  const body = element("div");
  const section = element("section", "panel", heading, body);
  if (id) section.id = id;
  parent.appendChild(section);
  return { section, heading, note, body };
}

export function legend(items: Array<[colour: string, label: string, alpha?: number]>): DomElement {
  const box = element("div", "legend");
  for (const [colour, label, alpha] of items) {
    const swatch = element("i");
    swatch.style.background = colour;
    if (alpha !== undefined) swatch.style.opacity = String(alpha);
    box.appendChild(element("span", "", swatch, label));
  }
  return box;
}

/** Buttons that switch between named views; calls `choose` with the picked name. */
export function tabs(parent: DomElement, names: string[], choose: (name: string) => void): void {
  const bar = element("div", "tabs");
  const buttons = names.map((name) => {
    const button = element("button", "", name);
    button.addEventListener("click", () => {
      for (const b of buttons) b.classList.toggle("current", b === button);
      choose(name);
    });
    bar.appendChild(button);
    return button;
  });
  buttons[0]?.classList.add("current");
  parent.appendChild(bar);
}

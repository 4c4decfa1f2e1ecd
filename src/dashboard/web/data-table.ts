/**
 * A plain HTML table rebuilt from rows: the Workers and Jobs pages and the report's
 * cluster table. Text is set as text (names and reasons come from the cluster, never
 * parsed as HTML).
 */
import { element, type DomElement } from "./browser.js";

export interface Column<Row> {
  title: string;
  value: (row: Row) => string | DomElement;
  /** Left-aligned text (numbers are right-aligned). */
  text?: boolean;
  total?: (rows: Row[]) => string;
}

export class DataTable<Row> {
  readonly table: DomElement;
  private readonly body: DomElement;
  private readonly foot: DomElement;

  constructor(parent: DomElement, private readonly columns: Array<Column<Row>>, private readonly emptyText: string) {
    this.table = element("table");
    const head = element("thead");
    const headRow = element("tr");
    for (const column of columns) headRow.appendChild(element("th", column.text ? "text" : "", column.title));
    head.appendChild(headRow);
    this.body = element("tbody");
    this.foot = element("tfoot");
    this.table.append(head, this.body, this.foot);
    parent.appendChild(this.table);
  }

  update(rows: Row[]): void {
    if (rows.length === 0) {
      const cell = element("td", "empty", this.emptyText);
      cell.setAttribute("colspan", String(this.columns.length));
      const row = element("tr");
      row.appendChild(cell);
      this.body.replaceChildren(row);
      this.foot.replaceChildren();
      return;
    }
    this.body.replaceChildren(...rows.map((row) => {
      const tr = element("tr");
      for (const column of this.columns) tr.appendChild(element("td", column.text ? "text" : "", column.value(row)));
      return tr;
    }));
    if (this.columns.some((c) => c.total)) {
      const tr = element("tr");
      for (const column of this.columns) tr.appendChild(element("td", column.text ? "text" : "", column.total ? column.total(rows) : ""));
      this.foot.replaceChildren(tr);
    }
  }
}

/** A small inline bar (fraction 0–1) with a label, for table cells. */
export function inlineBar(fraction: number, colour: string, label: string): DomElement {
  const bar = element("div", "bar");
  const fill = element("span");
  fill.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
  fill.style.background = colour;
  bar.appendChild(fill);
  const wrapper = element("div", "", bar, label);
  wrapper.style.display = "flex";
  wrapper.style.gap = "6px";
  wrapper.style.alignItems = "center";
  wrapper.style.justifyContent = "flex-end";
  return wrapper;
}

/**
 * A link to one of the dashboard's info pages (a worker's log, a key's story), relative to
 * the page (pages and info/ share the cluster's folder, where the token cookie holds). The
 * text is set as text; the caller encodes what goes in the query.
 */
export function infoLink(relativeUrl: string, text: string): DomElement {
  const link = element("a", "", text);
  link.setAttribute("href", relativeUrl);
  return link;
}

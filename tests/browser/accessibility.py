"""Accessibility checks of a page in the browser: axe-core's rules, and the contrast of the focus ring."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.1 A and AA (what GB/T 37668-2019 takes over), axe's best practices, and its experimental
# rules, among them label-content-name-mismatch (WCAG 2.5.3).
AXE_OPTIONS = {
    "runOnly": {"type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice", "experimental"]},
    "resultTypes": ["violations"],
}
FAILING = ("serious", "critical")
_axe = Axe()  # axe-core's script as the package ships it: nothing is fetched


def axe_violations(page, impacts: tuple[str, ...] = FAILING) -> list[str]:
    """axe-core's violations of the page as it stands, of these impacts: 'rule (impact): element, …'."""
    found = _axe.run(page, options=AXE_OPTIONS).response["violations"]
    return [f"{v['id']} ({v['impact']}): " + ", ".join(" ".join(n["target"]) for n in v["nodes"])
            for v in found if v["impact"] in impacts]


# What the ring is drawn with, and the colour behind it: the element's own background for a ring
# drawn inside it, else that of the first ancestor that paints one.
_RING = """() => {
  const el = document.activeElement;
  if (el.dataset.ringFirst) return "round";  // the Tabs came round to the first element again
  if (el.dataset.ringSeen) return "again";  // a field with several stops (a date's year, month, day)
  if (!document.querySelector("[data-ring-first]")) el.dataset.ringFirst = "1";
  el.dataset.ringSeen = "1";
  const style = getComputedStyle(el);
  let node = parseFloat(style.outlineOffset) < 0 ? el : el.parentElement;
  let behind = "rgb(255, 255, 255)";
  for (; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent") { behind = bg; break; }
  }
  const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + el.className.split(" ")[0] : "");
  return {name, text: (el.innerText || el.value || "").slice(0, 12), style: style.outlineStyle,
          width: parseFloat(style.outlineWidth), ring: style.outlineColor, behind};
}"""


def _rgb(css: str) -> tuple[float, float, float]:
    """The red, green and blue of an opaque CSS rgb()/rgba() colour."""
    parts = [float(x) for x in re.findall(r"[0-9.]+", css)]
    if len(parts) == 4 and parts[3] < 1:
        raise AssertionError(f"a translucent colour has no contrast of its own: {css}")
    return parts[0], parts[1], parts[2]


def contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two CSS colours."""
    def luminance(css: str) -> float:
        channels = [c / 255 for c in _rgb(css)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def focus_rings(page, limit: int = 400) -> list[dict]:
    """Tab through the whole page from its top; each focused element's ring, with its contrast to what is behind it."""
    # From the top of the page, wherever the focus was put on load.
    page.evaluate("""() => { document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute("tabindex"); }""")
    rings: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        ring = page.evaluate(_RING)
        if ring == "round":
            break
        if ring == "again":
            continue
        ring["contrast"] = round(contrast(ring["ring"], ring["behind"]), 2) if ring["style"] != "none" else 0.0
        rings.append(ring)
    return rings

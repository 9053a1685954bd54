// The search page's script: "/" focuses the search box, Escape leaves it, and while one types the
// box offers completions from /api/suggest in a list under it (the WAI-ARIA combobox pattern with
// list autocomplete and manual selection). A ticked filter applies at once, and after a filter, date
// or page change the focus comes back to the control the user acted on. Without this script the
// forms and links work the same, unaided.
(function () {
  "use strict";

  var DEBOUNCE_MS = 100;

  // The number of leading characters of text that are what was typed (0 for a pinyin match).
  function matchedPrefix(typed, text) {
    var prefix = typed.trim();
    return prefix && text.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase() ? prefix.length : 0;
  }

  function suggestions(box, list) {
    var form = box.form;
    var url = list.getAttribute("data-url");
    var options = []; // the texts the list holds
    var shownFor = null; // the box's text they complete
    var active = -1; // the highlighted option, -1 for none
    var timer = 0;
    var seq = 0; // numbers the requests, so an answer that is overtaken is dropped
    var controller = null;
    var composing = false; // inside an IME composition the box holds unfinished pinyin

    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", list.id);

    function isOpen() {
      return !list.hidden;
    }

    function open() {
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
    }

    function close() {
      highlight(-1);
      list.hidden = true;
      box.setAttribute("aria-expanded", "false");
    }

    // Drop the request waiting for its debounce and the one in flight.
    function cancel() {
      clearTimeout(timer);
      seq += 1;
      if (controller) {
        controller.abort();
        controller = null;
      }
    }

    function highlight(index) {
      if (active >= 0 && list.children[active]) list.children[active].setAttribute("aria-selected", "false");
      active = index;
      if (index < 0) {
        box.removeAttribute("aria-activedescendant");
        return;
      }
      var option = list.children[index];
      option.setAttribute("aria-selected", "true");
      box.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    function render(typed, texts) {
      highlight(-1);
      list.replaceChildren();
      texts.forEach(function (text, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var n = matchedPrefix(typed, text);
        if (n) {
          var bold = document.createElement("b");
          bold.textContent = text.slice(0, n);
          option.appendChild(bold);
        }
        if (n < text.length) option.appendChild(document.createTextNode(text.slice(n)));
        list.appendChild(option);
      });
      options = texts;
      shownFor = typed;
      // An answer that arrives after the box lost the focus is kept but not shown.
      if (texts.length && document.activeElement === box) open();
      else close();
    }

    function request() {
      var typed = box.value;
      if (!typed.trim()) return;
      cancel();
      controller = new AbortController();
      var mine = seq;
      fetch(url + "?q=" + encodeURIComponent(typed), {
        headers: { Accept: "application/json" },
        signal: controller.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (body) {
          if (mine !== seq || box.value !== typed) return;
          var texts = Array.isArray(body.suggestions) ? body.suggestions : [];
          render(typed, texts.filter(function (text) { return typeof text === "string" && text; }));
        })
        .catch(function () {
          // Aborted, offline or not JSON: no suggestions; the form still searches.
          if (mine === seq) close();
        });
    }

    // Ask for suggestions once the typing pauses; an empty box asks nothing and shows nothing.
    function schedule() {
      cancel();
      if (!box.value.trim()) {
        render("", []);
        return;
      }
      timer = setTimeout(request, DEBOUNCE_MS);
    }

    function choose(index) {
      box.value = options[index];
      cancel();
      close();
      // requestSubmit fires the submit event as pressing the button would; the hidden filters go along.
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    }

    box.addEventListener("input", function (event) {
      highlight(-1);
      if (!composing && !event.isComposing) schedule();
    });
    box.addEventListener("compositionstart", function () {
      composing = true;
      cancel();
      close();
    });
    box.addEventListener("compositionend", function () {
      composing = false;
      schedule();
    });

    box.addEventListener("keydown", function (event) {
      // Keys during a composition belong to the IME (229 is Safari's, sent after compositionend).
      if (composing || event.isComposing || event.keyCode === 229) return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var count = shownFor === box.value ? options.length : 0;
      switch (event.key) {
        case "ArrowDown":
          if (!count) return;
          event.preventDefault();
          if (!isOpen()) open();
          highlight(active + 1 < count ? active + 1 : 0);
          break;
        case "ArrowUp":
          if (!count) return;
          event.preventDefault();
          if (!isOpen()) open();
          highlight(active > 0 ? active - 1 : count - 1);
          break;
        case "Enter":
          // With no option highlighted, Enter submits what was typed.
          if (isOpen() && active >= 0) {
            event.preventDefault();
            choose(active);
          }
          break;
        case "Escape":
          // The first Escape closes the list; with the list closed, Escape leaves the box (below).
          if (isOpen()) {
            event.preventDefault();
            cancel();
            close();
          }
          break;
        case "Tab":
          cancel();
          close();
          break;
        case "ArrowLeft":
        case "ArrowRight":
        case "Home":
        case "End":
          highlight(-1); // the caret moves in the box, so the box has the focus again
          break;
      }
    });

    box.addEventListener("blur", function () {
      cancel();
      close();
    });
    form.addEventListener("submit", function () {
      cancel();
      close();
    });

    // mousedown's default would take the focus from the box, whose blur would close the list
    // before the click arrives.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) choose(Array.prototype.indexOf.call(list.children, option));
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing) return; // the suggestions or an IME took the key
    var box = document.getElementById("q");
    if (!box) return;
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      box.focus();
      box.select();
    } else if (event.key === "Escape" && target === box) {
      box.blur();
    }
  });

  // The control acted on is remembered by its data-focus-key across the page load that follows.
  var FOCUS_KEY = "xjsearch.focus";

  function remember(element, byPointer) {
    var key = element && element.getAttribute("data-focus-key");
    if (!key) return;
    try {
      sessionStorage.setItem(FOCUS_KEY, JSON.stringify({ key: key, path: location.pathname, pointer: byPointer }));
    } catch (e) {
      // Storage may be off; the page then starts at the top, as without this script.
    }
  }

  function recall() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(FOCUS_KEY) || "null");
      sessionStorage.removeItem(FOCUS_KEY);
    } catch (e) {
      return;
    }
    if (!saved || saved.path !== location.pathname || typeof saved.key !== "string") return;
    var target = document.querySelector('[data-focus-key="' + CSS.escape(saved.key) + '"]');
    // A page link that is gone (the next page of the last one) leaves the focus on the current page.
    if (!target && saved.key.indexOf("page:") === 0) target = document.querySelector('.pagination [aria-current="page"]');
    if (!target) return;
    var closed = target.closest("details:not([open])");
    if (closed) closed.open = true;
    // A mouse user gets the place back without the keyboard's focus ring.
    target.focus({ focusVisible: !saved.pointer });
  }

  function filters(form) {
    var pointerAt = 0;
    form.addEventListener("pointerdown", function () {
      pointerAt = Date.now();
    });
    form.addEventListener("change", function (event) {
      var box = event.target;
      if (box.type !== "checkbox") return;
      remember(box, Date.now() - pointerAt < 1000);
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    });
    form.addEventListener("submit", function (event) {
      var acting = form.contains(document.activeElement) ? document.activeElement : event.submitter;
      if (acting && acting.type !== "checkbox") remember(acting, Date.now() - pointerAt < 1000);
    });
    // Ticks apply at once, so the button for ticking several before applying is not needed.
    var apply = form.querySelector(".apply");
    var hint = form.querySelector(".filter-hint");
    if (apply) apply.hidden = true;
    if (hint) hint.hidden = false;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-focus-key]");
    // A click from the keyboard (Enter) has no pointer position: detail is 0.
    if (link) remember(link, event.detail > 0);
  });

  var box = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  if (box && list && box.form && window.fetch && window.AbortController) suggestions(box, list);
  var form = document.querySelector("form.filters");
  if (form) filters(form);
  if (window.sessionStorage && window.CSS && CSS.escape) recall();
})();

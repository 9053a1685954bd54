// The search page's script: "/" focuses the search box, Escape leaves it, and while one types the
// box offers completions from /api/suggest in a list under it (the WAI-ARIA combobox pattern with
// list autocomplete and manual selection). Without this script the form works the same, unaided.
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

  var box = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  if (box && list && box.form && window.fetch && window.AbortController) suggestions(box, list);
})();

/* The uptime bars' detail panel. Focus, hover or tap a day: a panel beside the bar shows its
   date, uptime and incidents (by title, with links), kept inside the viewport. A first tap on a
   touch screen opens the panel, a second follows the day's link. Without this script every day
   is still a link to the same facts on the component page; nothing else on the page needs it. */
(function () {
  "use strict";
  var panel = null, current = null, wasOpen = false, touch = false, hovered = false;
  var leaving = 0;

  function dayOf(node) {
    return node && node.closest ? node.closest("a.sl-day") : null;
  }

  function close() {
    if (panel) panel.hidden = true;
    if (current) current.classList.remove("sl-on");
    current = null;
  }

  function fill(day) {
    var facts = day.querySelector(".sl-vh"), text = "", list = null;
    panel.textContent = "";
    facts.childNodes.forEach(function (node) {
      var target = node.nodeType === 1 && node.getAttribute("data-href");
      if (!target) {
        if (!list) text += node.textContent;
        return;
      }
      if (!list) list = document.createElement("ul");
      var item = document.createElement("li"), link = document.createElement("a");
      link.href = target;
      link.tabIndex = -1;
      link.textContent = node.textContent;
      item.appendChild(link);
      list.appendChild(item);
    });
    var line = document.createElement("p");
    line.textContent = text.trim();
    panel.appendChild(line);
    if (list) panel.appendChild(list);
  }

  function place(day) {
    var box = day.getBoundingClientRect(), root = document.documentElement;
    var width = panel.offsetWidth, margin = 8;
    var left = box.left + box.width / 2 - width / 2;
    left = Math.max(margin, Math.min(left, root.clientWidth - width - margin));
    var top = box.bottom + 6;
    if (top + panel.offsetHeight > root.clientHeight && box.top > panel.offsetHeight + 6) {
      top = box.top - panel.offsetHeight - 6;
    }
    panel.style.left = window.scrollX + left + "px";
    panel.style.top = window.scrollY + top + "px";
  }

  function show(day) {
    if (current === day) return;
    close();
    if (!panel) {
      panel = document.createElement("div");
      panel.className = "sl-panel";
      panel.setAttribute("aria-hidden", "true");
      document.body.appendChild(panel);
    }
    fill(day);
    panel.style.left = "0px";
    panel.style.top = "0px";
    panel.hidden = false;
    place(day);
    current = day;
    day.classList.add("sl-on");
  }

  document.addEventListener("pointerdown", function (event) {
    var day = dayOf(event.target);
    touch = event.pointerType !== "mouse";
    wasOpen = day !== null && day === current;
    if (!day && !(panel && panel.contains(event.target))) close();
  });
  document.addEventListener("click", function (event) {
    var day = dayOf(event.target);
    if (day && touch && !wasOpen) {
      event.preventDefault();
      show(day);
    }
  });
  document.addEventListener("focusin", function (event) {
    var day = dayOf(event.target);
    if (day) {
      show(day);
      hovered = false;
    }
  });
  document.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (dayOf(event.target) && !dayOf(next) && !(panel && panel.contains(next))) close();
  });
  document.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse") return;
    var day = dayOf(event.target), inPanel = panel && panel.contains(event.target);
    if (day || inPanel) window.clearTimeout(leaving);
    if (day) {
      show(day);
      hovered = true;
    } else if (hovered && !inPanel) {
      // A moment's grace, so the pointer can cross the gap to the panel's links.
      window.clearTimeout(leaving);
      leaving = window.setTimeout(function () {
        hovered = false;
        close();
      }, 400);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close();
  });
  window.addEventListener("resize", close);
})();

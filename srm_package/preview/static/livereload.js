/*
 * srm-package preview: reloads the course page when its sources were rebuilt, keeping the
 * scroll position, and lists the problems of a broken build over the last good page.
 * Loaded from the server's own origin (the page's CSP allows 'self'), never packaged.
 * The build number this page was rendered from is on this script's data-epoch.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var epoch = script ? script.getAttribute("data-epoch") : null;
  var SCROLL_KEY = "srm-preview-scroll:" + window.location.pathname;
  var overlay = null;

  function panel() {
    try {
      return window.parent !== window && window.parent.SrmPreview ? window.parent.SrmPreview : null;
    } catch (error) {
      return null;
    }
  }

  function restoreScroll() {
    var saved = null;
    try {
      saved = window.sessionStorage.getItem(SCROLL_KEY);
      window.sessionStorage.removeItem(SCROLL_KEY);
    } catch (error) {
      return;
    }
    if (saved !== null) {
      window.scrollTo({ top: Number(saved), behavior: "instant" }); // not the page's smooth scrolling
    }
  }

  function reload() {
    try {
      window.sessionStorage.setItem(SCROLL_KEY, String(window.scrollY));
    } catch (error) {
      /* private mode: reload at the top */
    }
    var lms = panel();
    if (lms) {
      lms.reloadCourse(); // the simulated LMS ends the session and launches the new page
    } else {
      window.location.reload();
    }
  }

  function stylesheet() {
    if (!document.querySelector("link[data-srm-preview]")) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = "/__srm__/preview.css";
      link.setAttribute("data-srm-preview", "");
      document.head.appendChild(link);
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  /** problems: the lines `srm-package check` prints (file:line:column: field: message). */
  function showProblems(problems) {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
    if (!problems.length) {
      return;
    }
    stylesheet();
    overlay = element("section", "srm-preview-problems");
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("aria-labelledby", "srm-preview-problems-title");
    var title = element("h2", "", problems.length === 1 ? "1 problem in the sources" : problems.length + " problems in the sources");
    title.id = "srm-preview-problems-title";
    overlay.appendChild(title);
    overlay.appendChild(element("p", "", epoch === "0"
      ? "Fix them and save: the page appears as soon as the course builds."
      : "This page is the last good build. Fix the problems and save: it reloads by itself."));
    var list = element("ul");
    problems.forEach(function (problem) {
      list.appendChild(element("li", "", problem));
    });
    overlay.appendChild(list);
    var hide = element("button", "", "Hide");
    hide.type = "button";
    hide.addEventListener("click", function () {
      overlay.hidden = true;
    });
    overlay.appendChild(hide);
    document.body.appendChild(overlay);
  }

  if (document.readyState === "complete") {
    restoreScroll();
  } else {
    window.addEventListener("load", restoreScroll);
  }

  var events = new window.EventSource("/__srm__/events");
  events.addEventListener("message", function (message) {
    var state = JSON.parse(message.data);
    if (String(state.epoch) !== epoch) {
      events.close();
      reload();
      return;
    }
    showProblems(state.problems);
  });
  // the server stopped (Ctrl-C): stop asking; a manual reload connects again
  events.addEventListener("error", function () {
    if (events.readyState === window.EventSource.CLOSED) {
      events.close();
    }
  });
  window.addEventListener("pagehide", function () {
    events.close();
  });
})();

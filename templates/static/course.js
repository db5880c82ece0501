/*
 * A course of several lessons, one lesson at a time: the outline (a mark for each lesson
 * done, its quiz score), previous/next links, the lesson in the address hash (deep links,
 * the browser's back button) and course progress (lessons completed, quizzes passed).
 * Only in pages of several lessons; a one-lesson page does not load it.
 *
 * Without this script every lesson stays on the page, one after the other, and the
 * outline is a table of contents whose links all work: the page is long but complete.
 * Like the quiz, it builds no markup: every text is in the page, and it only toggles
 * `hidden`, classes, `open` and `aria-current`, and fills numbers into `data-template`s.
 *
 * The quiz engine (assets/quiz.js, loaded after this file) talks to it through
 * window.SrmCourse, and only through it:
 *   currentLesson()                  the <article class="lesson"> shown now
 *   resume(location, saved)          after connecting to the LMS: `location` is the LMS's
 *                                    lesson_location / cmi.location (an element id), shown
 *                                    when the address names no lesson; `saved` is what
 *                                    state() gave in an earlier session ("" for none)
 *   state()                          the lessons opened so far, as short text for suspend_data
 *                                    (hex digits, four lessons each; never "|", "," or "/")
 *   quizUpdated(element, summary)    a quiz (its <section>) changed: summary =
 *                                    {answered, total, percent, complete, passed}, percent
 *                                    as the page shows it (a whole number)
 *   onLessonChange(listener)         listener() runs after another lesson is shown, so that
 *                                    the engine can save the new location
 * Without the engine (a plain site with no quiz) this script works the same and
 * remembers the lessons opened for the visit only.
 */
(function () {
  "use strict";

  var outline = document.querySelector("[data-outline]");
  var lessons = Array.prototype.slice.call(document.querySelectorAll("article.lesson"));
  if (!outline || lessons.length < 2) {
    return;
  }
  var details = outline.querySelector("[data-outline-details]");
  var progressLine = outline.querySelector("[data-course-progress]");
  /** The media query under which the outline sits above the lesson (site.css: 64em). */
  var wide = window.matchMedia ? window.matchMedia("(min-width: 64em)") : null;

  var current = null;
  var shownWithoutHash = null; // the lesson to show when the address has no hash (back to the start)
  var opened = lessons.map(function () {
    return false;
  });
  var quizOf = {}; // lesson id -> the last summary the engine gave for its quiz
  var listeners = [];

  // ------------------------------------------------------------------ small helpers
  // the texts come from the page's data-templates; SrmLocale (assets/locale.js, loaded
  // before this script) writes their numbers in the course's language: "Quiz 66 %"
  function fill(element, values) {
    var template = element && element.getAttribute("data-template");
    if (template === null || template === undefined) {
      return;
    }
    element.textContent = window.SrmLocale.fillTemplate(template, values);
  }

  function byAttribute(name, value) {
    var found = null;
    document.querySelectorAll("[" + name + "]").forEach(function (element) {
      if (element.getAttribute(name) === value) {
        found = element;
      }
    });
    return found;
  }

  function outlineItem(lesson) {
    return byAttribute("data-outline-lesson", lesson.id);
  }

  /** The element an address hash names, or null ("#lesson-x", "#x--section", "#q-id"...). */
  function target(hash) {
    if (!hash || hash.length < 2) {
      return null;
    }
    var id = hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (error) {
      /* not percent-encoded: the id as written */
    }
    return document.getElementById(id);
  }

  function lessonOf(element) {
    return element && element.closest ? element.closest("article.lesson") : null;
  }

  // ------------------------------------------------------------------ progress
  function isDone(lesson, index) {
    var quiz = quizOf[lesson.id];
    if (lesson.querySelector("[data-quiz]")) {
      return Boolean(quiz && quiz.complete);
    }
    return opened[index];
  }

  function updateMarks() {
    var completed = 0;
    var passed = 0;
    var quizzes = 0;
    lessons.forEach(function (lesson, index) {
      var done = isDone(lesson, index);
      var quiz = quizOf[lesson.id];
      var item = outlineItem(lesson);
      completed += done ? 1 : 0;
      if (lesson.querySelector("[data-quiz]")) {
        quizzes += 1;
        passed += quiz && quiz.complete && quiz.passed ? 1 : 0;
      }
      if (!item) {
        return;
      }
      item.classList.toggle("is-done", done);
      var score = item.querySelector('[data-mark="score"]');
      if (score) {
        var shown = Boolean(quiz && quiz.complete);
        if (shown) {
          fill(score, { percent: quiz.percent });
        }
        score.classList.toggle("is-passed", shown && quiz.passed);
        score.classList.toggle("is-failed", shown && !quiz.passed);
        score.hidden = !shown;
      }
      var doneMark = item.querySelector('[data-mark="done"]');
      if (doneMark) {
        doneMark.hidden = !done;
      }
    });
    if (progressLine) {
      var counts = { completed: completed, lessons: lessons.length, passed: passed, quizzes: quizzes };
      progressLine.querySelectorAll("[data-template]").forEach(function (part) {
        fill(part, counts);
      });
      progressLine.hidden = false;
    }
  }

  // ------------------------------------------------------------------ showing a lesson
  function focusQuietly(element) {
    if (!element) {
      return;
    }
    if (!element.hasAttribute("tabindex")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: true });
  }

  /** Show `lesson` alone; true when it was not the one shown before. */
  function show(lesson) {
    var changed = lesson !== current;
    current = lesson;
    lessons.forEach(function (each, index) {
      var isCurrent = each === lesson;
      each.hidden = !isCurrent;
      if (isCurrent) {
        opened[index] = true;
      }
      var item = outlineItem(each);
      if (item) {
        item.classList.toggle("is-current", isCurrent);
        var link = item.querySelector("a");
        if (isCurrent) {
          link.setAttribute("aria-current", "page");
          var title = link.getAttribute("data-page-title");
          if (title) {
            document.title = title;
          }
        } else {
          link.removeAttribute("aria-current");
        }
        var sections = item.querySelector("[data-outline-sections]");
        if (sections) {
          sections.hidden = !isCurrent;
        }
      }
      var pager = byAttribute("data-pager-for", each.id);
      if (pager) {
        pager.hidden = !isCurrent;
      }
    });
    updateMarks();
    if (changed) {
      listeners.forEach(function (listener) {
        listener();
      });
    }
    return changed;
  }

  /** Bring `element` (in the lesson now shown) into view; a new lesson starts at its top. */
  function reveal(element, lessonChanged) {
    if (lessonChanged) {
      var title = current.querySelector(".lesson-title");
      focusQuietly(element === current ? title : element);
    }
    var behavior = { block: "start", behavior: "instant" };
    try {
      element.scrollIntoView(behavior);
    } catch (error) {
      element.scrollIntoView(true); // a browser without scroll options
    }
  }

  /** Follow the address hash: the lesson holding the element it names, scrolled to it. */
  function follow() {
    var element = target(window.location.hash);
    var lesson = lessonOf(element);
    if (lesson) {
      reveal(element, show(lesson));
    } else if (!element && shownWithoutHash) {
      // back to the address the page was opened with
      if (show(shownWithoutHash)) {
        reveal(shownWithoutHash, true);
      }
    }
    // anything else (the skip link's #srm-main, the course result): the browser's own jump
  }

  function fitOutline() {
    if (details) {
      details.open = !wide || wide.matches;
    }
  }

  // ------------------------------------------------------------------ state for the engine
  function encodeOpened() {
    var digits = "";
    for (var start = 0; start < opened.length; start += 4) {
      var value = 0;
      for (var bit = 0; bit < 4 && start + bit < opened.length; bit += 1) {
        value += opened[start + bit] ? 1 << bit : 0;
      }
      digits += value.toString(16);
    }
    return digits;
  }

  function decodeOpened(text) {
    text = String(text || "");
    if (text.length !== Math.ceil(opened.length / 4) || !/^[0-9a-f]*$/.test(text)) {
      return; // another version of the course, or nothing saved
    }
    opened.forEach(function (wasOpened, index) {
      var digit = parseInt(text.charAt(Math.floor(index / 4)), 16);
      opened[index] = wasOpened || Boolean(digit & (1 << (index % 4)));
    });
  }

  window.SrmCourse = {
    currentLesson: function () {
      return current;
    },
    resume: function (location, saved) {
      decodeOpened(saved);
      var lesson = lessonOf(location ? document.getElementById(location) : null);
      if (lesson && !lessonOf(target(window.location.hash))) {
        shownWithoutHash = lesson;
        show(lesson);
      } else {
        updateMarks();
      }
    },
    state: encodeOpened,
    quizUpdated: function (element, summary) {
      var lesson = lessonOf(element);
      if (lesson) {
        quizOf[lesson.id] = summary;
        updateMarks();
      }
    },
    onLessonChange: function (listener) {
      listeners.push(listener);
    },
  };

  // ------------------------------------------------------------------ start
  var addressed = target(window.location.hash);
  var first = lessonOf(addressed) || lessons[0];
  if (!lessonOf(addressed)) {
    shownWithoutHash = first;
  }
  show(first);
  if (lessonOf(addressed)) {
    // the browser jumped there while every lesson was on the page; the others are gone now
    reveal(addressed, false);
  }
  fitOutline();
  if (wide) {
    if (wide.addEventListener) {
      wide.addEventListener("change", fitOutline);
    } else if (wide.addListener) {
      wide.addListener(fitOutline); // older Safari
    }
  }
  window.addEventListener("hashchange", follow);
  // on a narrow screen the outline folds away once a lesson or section is chosen in it
  outline.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (link && details && wide && !wide.matches) {
      details.open = false;
    }
  });
  document.documentElement.classList.add("course-ready");
})();

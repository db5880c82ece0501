/*
 * The quiz on the course page: one answer per question, locked once given, with
 * immediate feedback, a live progress line and, after the last question, the score
 * and the recommendation. Every text the learner reads is already in the page
 * (hidden until shown); this script only toggles `hidden`, sets classes and fills
 * numbers into `data-template` texts, so no markup is ever built from strings.
 *
 * Quiz data comes from <script type="application/json" id="srm-quiz-data">.
 * With a SCORM runtime (assets/scorm-runtime.js) each answer is reported to the LMS
 * and the state is saved for resuming; without one the quiz works the same and
 * records nothing.
 */
(function () {
  "use strict";

  var dataElement = document.getElementById("srm-quiz-data");
  if (!dataElement) {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var STATE_VERSION = "1";

  // ------------------------------------------------------------------ small helpers
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  /** Fill an element's data-template (or data-template-<variant>) into its text. */
  function setTemplateText(element, values, variant) {
    if (!element) {
      return;
    }
    var template = element.getAttribute(variant ? "data-template-" + variant : "data-template");
    if (template !== null) {
      element.textContent = fill(template, values);
    }
  }

  function show(element, visible) {
    if (element) {
      element.hidden = !visible;
    }
  }

  /** A percentage with at most two decimals, as shown and as sent to the LMS. */
  function percentOf(earned, total) {
    if (!total) {
      return 0;
    }
    return Math.round((earned / total) * 10000) / 100;
  }

  function shuffled(items) {
    var copy = items.slice();
    for (var i = copy.length - 1; i > 0; i -= 1) {
      var j = Math.floor(Math.random() * (i + 1));
      var swap = copy[i];
      copy[i] = copy[j];
      copy[j] = swap;
    }
    return copy;
  }

  function range(length) {
    var items = [];
    for (var i = 0; i < length; i += 1) {
      items.push(i);
    }
    return items;
  }

  function isPermutation(order, length) {
    if (!order || order.length !== length) {
      return false;
    }
    var seen = {};
    for (var i = 0; i < order.length; i += 1) {
      var value = order[i];
      if (typeof value !== "number" || isNaN(value) || value < 0 || value >= length || seen[value]) {
        return false;
      }
      seen[value] = true;
    }
    return true;
  }

  // ---------------------------------------------------------------------- the model
  var quizzes = [];
  var questions = []; // every question of the course, in source order (state index)

  data.quizzes.forEach(function (quizData) {
    var element = document.getElementById(quizData.element);
    if (!element) {
      return;
    }
    var quiz = {
      data: quizData,
      element: element,
      list: element.querySelector(".questions"),
      progress: element.querySelector("[data-progress]"),
      result: element.querySelector("[data-result]"),
      questions: [],
      order: range(quizData.questions.length),
      points: 0,
    };
    quizData.questions.forEach(function (questionData) {
      var questionElement = document.getElementById(questionData.element);
      if (!questionElement) {
        return;
      }
      var question = {
        data: questionData,
        quiz: quiz,
        index: questions.length,
        element: questionElement,
        feedback: questionElement.querySelector("[data-feedback]"),
        checkButton: questionElement.querySelector("[data-check]"),
        choices: [],
        order: range(questionData.choices.length),
        answer: null, // positions (source order) of the chosen choices
        arrowPending: false,
      };
      var inputs = questionElement.querySelectorAll("input[data-choice]");
      questionData.choices.forEach(function (choiceData, position) {
        var input = null;
        for (var i = 0; i < inputs.length; i += 1) {
          if (inputs[i].getAttribute("data-choice") === choiceData.id) {
            input = inputs[i];
          }
        }
        question.choices.push({
          data: choiceData,
          position: position,
          input: input,
          row: input ? input.closest(".choice") : null,
        });
      });
      quiz.points += questionData.points;
      quiz.questions.push(question);
      questions.push(question);
    });
    quizzes.push(quiz);
  });

  function isCorrect(question, positions) {
    var wanted = question.choices
      .filter(function (choice) {
        return choice.data.correct;
      })
      .map(function (choice) {
        return choice.position;
      });
    if (wanted.length !== positions.length) {
      return false;
    }
    return wanted.every(function (position) {
      return positions.indexOf(position) >= 0;
    });
  }

  function tally(list) {
    var result = { answered: 0, correct: 0, earned: 0, total: 0 };
    list.forEach(function (question) {
      result.total += question.data.points;
      if (question.answer) {
        result.answered += 1;
        if (isCorrect(question, question.answer)) {
          result.correct += 1;
          result.earned += question.data.points;
        }
      }
    });
    result.percent = percentOf(result.earned, result.total);
    result.complete = result.answered === list.length;
    return result;
  }

  // ------------------------------------------------------------------- saved state
  /*
   * suspend_data is small: SCORM 1.2 allows 4096 characters. Format:
   *   1|<fingerprint>|<answers>|<question orders>|<choice orders>
   * answers: per question (source order) the chosen choice positions in base 36,
   * "" when unanswered, joined by ","; question orders: per quiz the shuffled
   * indexes joined by ".", quizzes joined by "/" ("" = not shuffled); choice orders:
   * per question the positions in base 36 ("" = not shuffled), joined by ",".
   */
  function encodeState() {
    var answers = questions.map(function (q) {
      return q.answer
        ? q.answer.map(function (p) {
            return p.toString(36);
          }).join("")
        : "";
    });
    var questionOrders = quizzes.map(function (quiz) {
      return quiz.data.shuffleQuestions ? quiz.order.join(".") : "";
    });
    var choiceOrders = questions.map(function (q) {
      return q.quiz.data.shuffleChoices
        ? q.order.map(function (p) {
            return p.toString(36);
          }).join("")
        : "";
    });
    return [STATE_VERSION, data.fingerprint, answers.join(","), questionOrders.join("/"), choiceOrders.join(",")].join("|");
  }

  function decodeDigits(text) {
    return text.split("").map(function (digit) {
      return parseInt(digit, 36);
    });
  }

  /** The saved state, or null when it is missing, damaged or from another version of the course. */
  function decodeState(text) {
    var parts = String(text || "").split("|");
    if (parts.length !== 5 || parts[0] !== STATE_VERSION || parts[1] !== data.fingerprint) {
      return null;
    }
    var answers = parts[2].split(",");
    var questionOrders = parts[3].split("/");
    var choiceOrders = parts[4].split(",");
    if (answers.length !== questions.length || questionOrders.length !== quizzes.length ||
        choiceOrders.length !== questions.length) {
      return null;
    }
    var state = { answers: [], questionOrders: [], choiceOrders: [] };
    for (var i = 0; i < questions.length; i += 1) {
      var question = questions[i];
      var count = question.choices.length;
      var answer = answers[i] ? decodeDigits(answers[i]) : null;
      if (answer && (answer.length > count || !answer.every(function (p) {
        return !isNaN(p) && p >= 0 && p < count;
      }))) {
        return null;
      }
      state.answers.push(answer);
      var choiceOrder = choiceOrders[i] ? decodeDigits(choiceOrders[i]) : null;
      if (choiceOrder && !isPermutation(choiceOrder, count)) {
        return null;
      }
      state.choiceOrders.push(choiceOrder);
    }
    for (var k = 0; k < quizzes.length; k += 1) {
      var order = questionOrders[k] ? questionOrders[k].split(".").map(Number) : null;
      if (order && !isPermutation(order, quizzes[k].questions.length)) {
        return null;
      }
      state.questionOrders.push(order);
    }
    return state;
  }

  /** Where to come back to: the first unanswered question in page order, else the result. */
  function resumeLocation() {
    for (var k = 0; k < quizzes.length; k += 1) {
      var quiz = quizzes[k];
      for (var i = 0; i < quiz.order.length; i += 1) {
        var question = quiz.questions[quiz.order[i]];
        if (!question.answer) {
          return question.element.id;
        }
      }
    }
    var last = quizzes[quizzes.length - 1];
    return last && last.result ? last.result.id : "";
  }

  // ------------------------------------------------------------------------ ordering
  function newOrders(quiz) {
    quiz.order = quiz.data.shuffleQuestions ? shuffled(range(quiz.questions.length)) : range(quiz.questions.length);
    quiz.questions.forEach(function (question) {
      question.order = quiz.data.shuffleChoices ? shuffled(range(question.choices.length)) : range(question.choices.length);
    });
  }

  /** Put questions and choices in their attempt's order and renumber the questions. */
  function applyOrder(quiz) {
    var total = quiz.order.length;
    quiz.order.forEach(function (index, shownIndex) {
      var question = quiz.questions[index];
      if (quiz.list) {
        quiz.list.appendChild(question.element);
      }
      setTemplateText(question.element.querySelector("[data-question-number]"), {
        number: shownIndex + 1,
        total: total,
      });
      var container = question.element.querySelector("[data-choices]");
      question.order.forEach(function (position) {
        var row = question.choices[position].row;
        if (container && row) {
          container.appendChild(row);
        }
      });
    });
  }

  // ---------------------------------------------------------------- showing answers
  function setMark(choice, name, visible) {
    if (choice.row) {
      show(choice.row.querySelector(".mark-" + name), visible);
    }
  }

  function reveal(question) {
    var positions = question.answer;
    var correct = isCorrect(question, positions);
    var showCorrect = question.quiz.data.showCorrectAnswers;
    question.element.classList.add("is-answered", correct ? "is-correct" : "is-incorrect");
    question.choices.forEach(function (choice) {
      var chosen = positions.indexOf(choice.position) >= 0;
      if (choice.input) {
        choice.input.checked = chosen;
        // the chosen radio stays focusable so keyboard focus is not lost; nothing else can change
        choice.input.disabled = !(chosen && choice.input.type === "radio");
      }
      if (choice.row) {
        choice.row.classList.toggle("is-chosen", chosen);
        choice.row.classList.toggle("is-right", choice.data.correct && (chosen || showCorrect));
        choice.row.classList.toggle("is-wrong", chosen && !choice.data.correct);
      }
      setMark(choice, "chosen-correct", chosen && choice.data.correct);
      setMark(choice, "chosen-incorrect", chosen && !choice.data.correct);
      setMark(choice, "missed", !chosen && choice.data.correct && showCorrect);
    });
    if (question.checkButton) {
      question.checkButton.disabled = true;
      question.checkButton.hidden = true;
    }
    var feedback = question.feedback;
    if (feedback) {
      show(feedback.querySelector("[data-need-choice]"), false);
      show(feedback.querySelector('[data-verdict="correct"]'), correct);
      show(feedback.querySelector('[data-verdict="incorrect"]'), !correct);
      show(feedback.querySelector('[data-question-feedback="correct"]'), correct);
      show(feedback.querySelector('[data-question-feedback="incorrect"]'), !correct);
      feedback.querySelectorAll("[data-feedback-for]").forEach(function (item) {
        var choice = question.choices.filter(function (c) {
          return c.data.id === item.getAttribute("data-feedback-for");
        })[0];
        show(item, Boolean(choice) && positions.indexOf(choice.position) >= 0);
      });
      show(feedback.querySelector("[data-explanation]"), true);
    }
  }

  function unreveal(question) {
    question.answer = null;
    question.element.classList.remove("is-answered", "is-correct", "is-incorrect");
    question.choices.forEach(function (choice) {
      if (choice.input) {
        choice.input.checked = false;
        choice.input.disabled = false;
      }
      if (choice.row) {
        choice.row.classList.remove("is-chosen", "is-right", "is-wrong");
      }
      ["chosen-correct", "chosen-incorrect", "missed"].forEach(function (name) {
        setMark(choice, name, false);
      });
    });
    if (question.checkButton) {
      question.checkButton.disabled = false;
      question.checkButton.hidden = false;
    }
    if (question.feedback) {
      question.feedback.querySelectorAll("[data-verdict], [data-question-feedback], [data-feedback-for], [data-explanation], [data-need-choice]")
        .forEach(function (item) {
          item.hidden = true;
        });
    }
  }

  function updateProgress(quiz) {
    var counts = tally(quiz.questions);
    setTemplateText(
      quiz.progress,
      { correct: counts.correct, total: quiz.questions.length, percent: counts.percent },
      counts.complete ? "done" : "open"
    );
    return counts;
  }

  /** The result box: score, the band's message and the sections to review. */
  function showResult(quiz) {
    var counts = tally(quiz.questions);
    var result = quiz.result;
    if (!result) {
      return;
    }
    setTemplateText(result.querySelector("[data-score-percent]"), { percent: counts.percent });
    setTemplateText(result.querySelector("[data-score-points]"), { earned: counts.earned, total: counts.total });
    var meter = result.querySelector("[data-score-meter]");
    if (meter) {
      meter.low = passMark();
      meter.high = passMark();
      meter.value = counts.percent;
    }
    var bandShown = false;
    result.querySelectorAll("[data-band-min]").forEach(function (band) {
      var reached = !bandShown && counts.percent >= Number(band.getAttribute("data-band-min"));
      show(band, reached);
      bandShown = bandShown || reached;
    });
    if (!bandShown) {
      var bands = result.querySelectorAll("[data-band-min]");
      show(bands[bands.length - 1], true);
    }
    var missed = {};
    quiz.questions.forEach(function (question) {
      if (question.answer && !isCorrect(question, question.answer)) {
        missed[question.data.section] = true;
      }
    });
    var anyMissed = false;
    result.querySelectorAll("[data-review-section]").forEach(function (item) {
      var wanted = Boolean(missed[item.getAttribute("data-review-section")]);
      show(item, wanted);
      anyMissed = anyMissed || wanted;
    });
    show(result.querySelector("[data-review]"), anyMissed);
    show(result.querySelector("[data-retry-row]"), !recorder);
    show(result, true);
  }

  function hideResult(quiz) {
    show(quiz.result, false);
    show(document.getElementById("srm-course-result"), false);
    show(document.querySelector("[data-course-verdict]"), false);
    show(document.querySelector("[data-course-score]"), false);
    show(document.querySelector("[data-lms-result]"), false);
  }

  // ------------------------------------------------------------------- the course
  var lmsStatus = document.getElementById("srm-lms-status");
  var recorder = null; // the SCORM adapter while it is connected
  var lmsPassMark = null;
  var lastAnswerAt = Date.now();

  function passMark() {
    return lmsPassMark === null ? data.passingScore : lmsPassMark;
  }

  function coursePasses(percent) {
    return percent >= passMark();
  }

  function showCourseVerdict() {
    var counts = tally(questions);
    var passed = coursePasses(counts.percent);
    var verdict = document.querySelector("[data-course-verdict]");
    setTemplateText(verdict, { pass: passMark() }, passed ? "passed" : "failed");
    if (verdict) {
      verdict.classList.toggle("is-passed", passed);
      verdict.classList.toggle("is-failed", !passed);
    }
    show(verdict, true);
    if (quizzes.length > 1) {
      var score = document.querySelector("[data-course-score]");
      setTemplateText(score, { percent: counts.percent, earned: counts.earned, total: counts.total });
      show(score, true);
      show(document.getElementById("srm-course-result"), true);
    }
    return { percent: counts.percent, passed: passed };
  }

  /** The LMS line: one of the texts in its data-template-<variant>s, styled as a problem or not. */
  function showLmsNote(variant, values, isProblem) {
    if (lmsStatus) {
      setTemplateText(lmsStatus, values || {}, variant);
      lmsStatus.classList.toggle("is-problem", Boolean(isProblem));
      show(lmsStatus, true);
    }
  }

  var commitProblemShown = false; // the LMS line tells of a failed save that a later one may mend

  /** onProblem from the runtime: the LMS's error code for learners to pass on, never a script's error text. */
  function reportProblem(problem) {
    if (problem.thrown) {
      showLmsNote("broken", {}, true);
    } else {
      showLmsNote("problem", { detail: "error " + problem.description }, true);
    }
    commitProblemShown = problem.call === "commit";
  }

  /** onSaved from the runtime: a commit went through, so a failed one before it is mended. */
  function reportSaved(saved) {
    if (commitProblemShown && lmsStatus) {
      commitProblemShown = false;
      lmsStatus.classList.remove("is-problem");
      show(lmsStatus, false);
    }
    if (saved.resultSent) {
      var sent = document.querySelector("[data-lms-result]");
      setTemplateText(sent, {});
      show(sent, true);
    }
  }

  /** Run LMS work so that nothing it throws can stop the quiz on the page (details to the console only). */
  function safely(work) {
    try {
      return work();
    } catch (error) {
      if (window.console && window.console.warn) {
        window.console.warn("[SCORM] " + error);
      }
      showLmsNote("broken", {}, true);
      commitProblemShown = false;
      return undefined;
    }
  }

  /** Send one answer to the LMS; after the course's last answer (a verdict given) also the score, then finish. */
  function report(question, verdict) {
    if (!recorder || recorder.readOnly) {
      return;
    }
    var now = new Date();
    var chosen = question.answer;
    var correctChoices = question.choices.filter(function (c) {
      return c.data.correct;
    });
    var chosenChoices = question.choices.filter(function (c) {
      return chosen.indexOf(c.position) >= 0;
    });
    recorder.recordInteraction({
      id: question.data.interaction,
      responses12: chosenChoices.map(function (c) {
        return c.data.response12;
      }),
      responses2004: chosenChoices.map(function (c) {
        return c.data.response2004;
      }),
      correct12: correctChoices.map(function (c) {
        return c.data.response12;
      }),
      correct2004: correctChoices.map(function (c) {
        return c.data.response2004;
      }),
      correct: isCorrect(question, chosen),
      weighting: question.data.points,
      description: question.data.description,
      answeredAt: now,
      latencyMs: now.getTime() - lastAnswerAt,
    });
    lastAnswerAt = now.getTime();
    recorder.saveState(encodeState(), resumeLocation());
    if (verdict) {
      // the score is committed only now: Moodle grades whatever raw was committed (lms-targets §6);
      // reportSaved shows "sent" once the commit goes through
      recorder.complete(verdict);
    } else {
      recorder.save(false);
    }
  }

  function answer(question, positions, fromLearner) {
    if (question.answer) {
      return;
    }
    question.answer = positions.slice().sort(function (a, b) {
      return a - b;
    });
    reveal(question);
    var counts = updateProgress(question.quiz);
    var verdict = tally(questions).complete ? showCourseVerdict() : null;
    if (fromLearner) {
      safely(function () {
        report(question, verdict);
      });
    }
    if (counts.complete) {
      showResult(question.quiz);
      if (fromLearner && question.quiz.result) {
        question.quiz.result.focus();
      }
    } else if (fromLearner && question.checkButton && question.feedback) {
      question.feedback.focus(); // the Check button is gone; keep focus next to the feedback
    }
  }

  // ------------------------------------------------------------------- interaction
  var NAVIGATION_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Up", "Down", "Left", "Right", "Home", "End"];

  function chosenPositions(question) {
    return question.choices
      .filter(function (choice) {
        return choice.input && choice.input.checked;
      })
      .map(function (choice) {
        return choice.position;
      });
  }

  function wire(question) {
    var fieldset = question.element.querySelector("fieldset") || question.element;
    if (question.checkButton) {
      question.checkButton.addEventListener("click", function () {
        var positions = chosenPositions(question);
        if (!positions.length) {
          var hint = question.feedback && question.feedback.querySelector("[data-need-choice]");
          show(hint, true);
          return;
        }
        answer(question, positions, true);
      });
      return;
    }
    // Radios: a click or Space answers at once. Arrow keys only move the selection,
    // so a keyboard user can reach the intended choice before answering with Space/Enter.
    fieldset.addEventListener("keydown", function (event) {
      if (NAVIGATION_KEYS.indexOf(event.key) >= 0) {
        question.arrowPending = true;
        return;
      }
      var target = event.target;
      var confirmKey = event.key === "Enter" || event.key === " " || event.key === "Spacebar";
      if (confirmKey && target && target.matches && target.matches("input[data-choice]") && target.checked) {
        event.preventDefault();
        answer(question, chosenPositions(question), true);
      }
    });
    fieldset.addEventListener("keyup", function () {
      question.arrowPending = false;
    });
    fieldset.addEventListener("change", function (event) {
      if (!event.target || !event.target.matches("input[data-choice]")) {
        return;
      }
      if (question.arrowPending) {
        question.arrowPending = false;
        return;
      }
      answer(question, chosenPositions(question), true);
    });
  }

  function retry(quiz) {
    quiz.questions.forEach(unreveal);
    newOrders(quiz);
    applyOrder(quiz);
    updateProgress(quiz);
    hideResult(quiz);
    var first = quiz.questions[quiz.order[0]];
    var firstInput = first && first.element.querySelector("input[data-choice]");
    if (firstInput) {
      firstInput.focus();
    }
  }

  // ------------------------------------------------------------------------ start
  function connect() {
    if (data.runtime === "none" || !window.SrmScormRuntime) {
      return null;
    }
    var adapter = window.SrmScormRuntime.connect(data.runtime, { onProblem: reportProblem, onSaved: reportSaved });
    var info = adapter.start();
    if (!adapter.connected) {
      // no LMS around (a plain preview), or one that turned the session down
      showLmsNote(adapter.refused ? "refused" : "standalone", {}, adapter.refused);
      commitProblemShown = false;
      return null;
    }
    if (adapter.readOnly) {
      showLmsNote(info.mode === "browse" ? "browse" : "review");
    }
    // the LMS's own pass mark wins (1.2 mastery_score, 2004 scaled_passing_score x 100);
    // two decimals, like the score, so 0.29 x 100 compares as 29
    lmsPassMark = info.passMark === null ? null : Math.round(info.passMark * 100) / 100;
    if (lmsPassMark !== null) {
      document.querySelectorAll("[data-pass-mark]").forEach(function (element) {
        setTemplateText(element, { pass: lmsPassMark });
      });
    }
    adapter.info = info;
    return adapter;
  }

  function restore(state) {
    quizzes.forEach(function (quiz, k) {
      quiz.order = state.questionOrders[k] || range(quiz.questions.length);
    });
    questions.forEach(function (question, i) {
      question.order = state.choiceOrders[i] || range(question.choices.length);
    });
    quizzes.forEach(applyOrder);
    questions.forEach(function (question, i) {
      if (state.answers[i]) {
        answer(question, state.answers[i], false);
      }
    });
  }

  function showResumeNote(location) {
    var note = document.getElementById("srm-resume");
    if (!note) {
      return;
    }
    var link = note.querySelector("[data-resume-link]");
    if (link && location && document.getElementById(location)) {
      link.setAttribute("href", "#" + location);
    } else if (link) {
      link.hidden = true;
    }
    show(note, true);
  }

  function start() {
    recorder = safely(connect) || null;
    var info = recorder ? recorder.info : null;
    var saved = info && info.entry !== "ab-initio" ? decodeState(info.suspendData) : null;
    if (saved) {
      restore(saved);
      if (saved.answers.some(Boolean)) {
        showResumeNote(info.location);
      }
    } else {
      quizzes.forEach(newOrders);
      quizzes.forEach(applyOrder);
      if (recorder) {
        // a valid empty state, never "": some LMSs keep the old value when given "" (lms-targets §6)
        safely(function () {
          recorder.saveState(encodeState(), "");
        });
      }
    }
    quizzes.forEach(updateProgress);
    safely(function () {
      if (recorder && !questions.length) {
        recorder.completeWithoutScore();
      } else if (recorder && tally(questions).complete && !/^(passed|failed|completed)$/.test(info.status || "")) {
        // a previous session saved every answer but did not get to send the score
        recorder.complete(showCourseVerdict());
      } else if (recorder) {
        recorder.save(tally(questions).complete);
      }
    });
    questions.forEach(wire);
    quizzes.forEach(function (quiz) {
      var retryButton = quiz.result && quiz.result.querySelector("[data-retry]");
      if (retryButton) {
        retryButton.addEventListener("click", function () {
          retry(quiz);
        });
      }
    });
    if (recorder) {
      // Every save already carries the exit and the session time (scorm-runtime.js); hidden
      // (another tab, a minimised window) brings the time up to date while the LMS can still
      // be reached: once the tab is closing, Chromium refuses Moodle's synchronous requests.
      document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "hidden") {
          safely(function () {
            recorder.save(tally(questions).complete);
          });
        }
      });
      // a last try for browsers that still allow the request; never `unload`
      window.addEventListener("pagehide", function () {
        safely(function () {
          recorder.finish(tally(questions).complete);
        });
      });
      window.addEventListener("pageshow", function (event) {
        if (event.persisted && recorder.terminated) {
          showLmsNote("ended", {}, true);
        }
      });
    }
    document.documentElement.classList.add("quiz-ready");
  }

  start();
})();

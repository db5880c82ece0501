/*
 * The quiz engine on the course page: one answer per question, locked once given, with
 * immediate feedback, a live progress line and, after the last question, the score and
 * the recommendation. Every text the learner reads is already in the page (hidden until
 * shown); the scripts only toggle `hidden`, set classes and fill numbers into
 * `data-template` texts, so no markup is ever built from strings.
 *
 * What a question looks like and how it is answered belongs to its type: each
 * assets/questions/<family>.js registers a handler with SrmQuiz.register(kind, handler).
 * The engine picks the handler by the question's `kind` in the quiz data, never by the
 * shape of the page, and keeps what is common: order, progress, score, saved state,
 * reporting to the LMS. Scripts are classic deferred files (no modules: the html target
 * is opened from file://); the engine starts once they have all run (DOMContentLoaded).
 *
 * A handler: {
 *   setUp(question)                 find its controls in question.element
 *   wire(question, submit)          call submit(answer) when the learner answers
 *   score(question, answer)         the share of the points earned, 0 to 1
 *   reveal(question, answer, showCorrect)   mark the parts right or wrong; lock them
 *   reset(question)                 back to unanswered
 *   encode(question, answer)        the answer as short text without "|", "," or "/"
 *   decode(question, text)          the answer again, or null when the text is not one
 *   interaction(question, answer, version)  {type, learner, correct}: SCORM formats of the
 *                                   version ("scorm12"/"scorm2004"); null leaves a field out
 *   arrangementSize(question)       how many parts an attempt may put in another order (0: none)
 *   arrangement(question, shuffle)  this attempt's order of them (positions), or null for the page's
 *   arrange(question, order)        show them in that order (null: the page's order)
 *                                   (these three may be left out by a type with nothing to arrange)
 *   firstControl(question)          what gets focus when the quiz starts again
 *   checked                         true when answered with a Check button (focus then goes to
 *                                   the feedback, as the button disappears)
 * }
 *
 * Questions asked: a quiz's groups (quiz data "groups": [{pick, members}], members being
 * positions in its "questions") ask `pick` of their members per attempt, drawn at random;
 * questions in no group are always asked. Each attempt (the first launch, "Try again", a
 * new LMS attempt: no saved state) draws again, then shuffles the questions and their parts
 * as the quiz says. A question not drawn is hidden (`hidden`, not removed) and counts
 * nowhere: not in the numbering ("Question 2 of 4"), progress, score, result, review list
 * or the LMS's interactions. The draw and the order are saved, so a resumed attempt shows
 * the same questions in the same order.
 *
 * Randomness: everything drawn or shuffled on the page (the draw, the question order and
 * SrmQuiz.shuffled, which the types use for their parts) comes from one function, the
 * page's random source: window.SrmRandom when it is a function when this script runs (a
 * test sets a seeded one before the page's scripts, e.g. with playwright's
 * add_init_script, to get the same draw every time), else Math.random. The product never
 * sets it.
 *
 * Quiz data comes from <script type="application/json" id="srm-quiz-data">.
 * With a SCORM runtime (assets/scorm-runtime.js) each answer is reported to the LMS
 * and the state is saved for resuming; without one the quiz works the same and
 * records nothing.
 *
 * In a course of several lessons, assets/course.js (loaded before this file) shows one
 * lesson at a time; this engine reaches it only through window.SrmCourse (see that file):
 * it hands it each quiz's progress, whatever the types of its questions, keeps its part of
 * the saved state, and saves the location (the first open question of the lesson shown)
 * whenever another lesson is shown.
 */
(function () {
  "use strict";

  var STATE_VERSION = "2";
  // the page's random source (see the header): a value from [0, 1), like Math.random
  var random = typeof window.SrmRandom === "function" ? window.SrmRandom : Math.random;
  var types = {};
  var course = null; // window.SrmCourse (assets/course.js), in courses of several lessons

  // ------------------------------------------------------------------ small helpers
  /** The template with its placeholders filled, numbers in the course's language (assets/locale.js). */
  function fill(template, values) {
    if (window.SrmLocale) {
      return window.SrmLocale.fillTemplate(template, values);
    }
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

  /** A number with at most two decimals, as shown and as sent to the LMS. */
  function round2(value) {
    return Math.round(value * 100) / 100;
  }

  /** A percentage with at most two decimals, as sent to the LMS and compared with the marks. */
  function percentOf(earned, total) {
    if (!total) {
      return 0;
    }
    return Math.round((earned / total) * 10000) / 100;
  }

  /**
   * A percentage as the learner reads it: a whole number, rounded down, so that the page
   * never shows a pass mark, a band or 100% that the score has not reached (66.67 is "66%";
   * the LMS still gets 66.67).
   */
  function shownPercent(percent) {
    return Math.floor(percent);
  }

  function shuffled(items) {
    var copy = items.slice();
    for (var i = copy.length - 1; i > 0; i -= 1) {
      var j = Math.floor(random() * (i + 1));
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

  /** Positions as base-36 digits, one character each ("" for none). */
  function encodeDigits(positions) {
    return positions.map(function (position) {
      return position.toString(36);
    }).join("");
  }

  function decodeDigits(text) {
    return String(text).split("").map(function (digit) {
      return /^[0-9a-z]$/.test(digit) ? parseInt(digit, 36) : NaN;
    });
  }

  /** Mark a part of an answer (an element holding [data-mark] spans) right, wrong or neither. */
  function markPart(container, state) {
    if (!container) {
      return;
    }
    show(container.querySelector('[data-mark="right"]'), state === "right");
    show(container.querySelector('[data-mark="wrong"]'), state === "wrong");
    container.classList.toggle("is-right", state === "right");
    container.classList.toggle("is-wrong", state === "wrong");
  }

  /** A type whose parts never change their order needs no arrangement functions. */
  var UNARRANGED = {
    arrangementSize: function () {
      return 0;
    },
    arrangement: function () {
      return null;
    },
    arrange: function () {},
  };

  /** What the question types share: registration and the helpers above. */
  window.SrmQuiz = {
    register: function (kind, handler) {
      Object.keys(UNARRANGED).forEach(function (name) {
        if (!handler[name]) {
          handler[name] = UNARRANGED[name];
        }
      });
      types[kind] = handler;
    },
    show: show,
    fill: setTemplateText,
    shuffled: shuffled,
    range: range,
    isPermutation: isPermutation,
    encodeDigits: encodeDigits,
    decodeDigits: decodeDigits,
    markPart: markPart,
  };

  // ------------------------------------------------------------------------ the model
  var data = null;
  var quizzes = [];
  var questions = []; // every question of the course, in source order (state index)

  function build() {
    quizzes = [];
    questions = [];
    data.quizzes.forEach(function (quizData) {
      var element = document.getElementById(quizData.element);
      if (!element) {
        return;
      }
      var quiz = {
        data: quizData,
        element: element,
        list: element.querySelector(".questions"),
        progressCount: element.querySelector("[data-progress-count]"),
        progressHint: element.querySelector("[data-progress-hint]"),
        result: element.querySelector("[data-result]"),
        questions: [],
        groups: [],
        order: [], // this attempt's questions (indexes in quiz.questions) in the order shown
      };
      var present = {}; // position in the quiz data -> index in quiz.questions
      quizData.questions.forEach(function (questionData, position) {
        var questionElement = document.getElementById(questionData.element);
        var handler = types[questionData.kind];
        if (!questionElement || !handler) {
          return;
        }
        var question = {
          data: questionData,
          handler: handler,
          quiz: quiz,
          index: questions.length,
          asked: true, // drawn in this attempt (a question in no group always is)
          element: questionElement,
          feedback: questionElement.querySelector("[data-feedback]"),
          checkButton: questionElement.querySelector("[data-check]"),
          order: null, // this attempt's arrangement of the type's parts (null: the page's)
          answer: null,
          fraction: 0, // the share of the points the answer earned
        };
        handler.setUp(question);
        present[position] = quiz.questions.length;
        quiz.questions.push(question);
        questions.push(question);
      });
      // (a question whose markup is missing is left out of its group, which asks fewer then)
      quiz.groups = (quizData.groups || []).map(function (group) {
        var members = group.members.filter(function (position) {
          return Object.prototype.hasOwnProperty.call(present, position);
        }).map(function (position) {
          return present[position];
        });
        return { pick: Math.min(group.pick, members.length), members: members };
      });
      quiz.order = range(quiz.questions.length);
      quizzes.push(quiz);
    });
  }

  /** The questions this attempt asks of the quiz, in the order shown. */
  function askedOf(quiz) {
    return quiz.order.map(function (index) {
      return quiz.questions[index];
    });
  }

  /** The questions this attempt asks in the whole course: what the course's score is over. */
  function askedInCourse() {
    return quizzes.reduce(function (list, quiz) {
      return list.concat(askedOf(quiz));
    }, []);
  }

  function courseComplete() {
    return tally(askedInCourse()).complete;
  }

  function tally(list) {
    var result = { answered: 0, correct: 0, earned: 0, total: 0 };
    list.forEach(function (question) {
      result.total += question.data.points;
      if (question.answer !== null) {
        result.answered += 1;
        result.earned += question.fraction * question.data.points;
        if (question.fraction >= 1) {
          result.correct += 1;
        }
      }
    });
    result.earned = round2(result.earned);
    result.percent = percentOf(result.earned, result.total);
    result.complete = result.answered === list.length;
    return result;
  }

  // ------------------------------------------------------------------- saved state
  /*
   * suspend_data is small: SCORM 1.2 allows 4096 characters. Format:
   *   2|<fingerprint>|<answers>|<question orders>|<arrangements>[|<course>]
   * answers: per question (source order) its type's encoding ("" when unanswered),
   * joined by ","; question orders: per quiz the questions asked, as indexes in the order
   * shown joined by "." ("" when the quiz neither shuffles questions nor has groups: all,
   * in source order), quizzes joined by "/"; arrangements: per question the order of its
   * parts in base 36 ("" = the page's order, and for a question not asked), joined by ",";
   * course: SrmCourse.state() (the lessons opened), in courses of several lessons only.
   * srm_package/saved_state.py computes the longest this can be; keep the two in step.
   */

  /** Whether the quiz's question order is saved: it is not the source order of all its questions. */
  function savesOrder(quiz) {
    return quiz.data.shuffleQuestions || quiz.groups.length > 0;
  }

  function encodeState() {
    var answers = questions.map(function (q) {
      return q.answer === null ? "" : q.handler.encode(q, q.answer);
    });
    var questionOrders = quizzes.map(function (quiz) {
      return savesOrder(quiz) ? quiz.order.join(".") : "";
    });
    var arrangements = questions.map(function (q) {
      return q.asked && q.order ? encodeDigits(q.order) : "";
    });
    var parts = [STATE_VERSION, data.fingerprint, answers.join(","), questionOrders.join("/"), arrangements.join(",")];
    if (course) {
      parts.push(course.state());
    }
    return parts.join("|");
  }

  /**
   * Whether `order` (indexes in quiz.questions) is an attempt the quiz can ask: each index
   * once, every question in no group, exactly `pick` of each group's.
   */
  function isDraw(quiz, order) {
    var seen = {};
    for (var i = 0; i < order.length; i += 1) {
      var index = order[i];
      if (!(index >= 0 && index < quiz.questions.length && index % 1 === 0) || seen[index]) {
        return false;
      }
      seen[index] = true;
    }
    var grouped = {};
    for (var g = 0; g < quiz.groups.length; g += 1) {
      var group = quiz.groups[g];
      var drawn = group.members.filter(function (member) {
        grouped[member] = true;
        return seen[member];
      });
      if (drawn.length !== group.pick) {
        return false;
      }
    }
    return range(quiz.questions.length).every(function (index) {
      return grouped[index] || seen[index];
    });
  }

  /** The saved state, or null when it is missing, damaged or from another version of the course. */
  function decodeState(text) {
    var parts = String(text || "").split("|");
    if ((parts.length !== 5 && parts.length !== 6) || parts[0] !== STATE_VERSION || parts[1] !== data.fingerprint) {
      return null;
    }
    var answers = parts[2].split(",");
    var questionOrders = parts[3].split("/");
    var arrangements = parts[4].split(",");
    if (answers.length !== questions.length || questionOrders.length !== quizzes.length ||
        arrangements.length !== questions.length) {
      return null;
    }
    var state = { answers: [], questionOrders: [], arrangements: [], course: parts[5] || "" };
    var asked = {}; // question (its index in `questions`) -> asked in the saved attempt
    for (var k = 0; k < quizzes.length; k += 1) {
      var quiz = quizzes[k];
      if (!questionOrders[k] && quiz.groups.length) {
        return null; // a quiz with groups always saves its draw
      }
      var order = questionOrders[k] ? questionOrders[k].split(".").map(function (index) {
        return /^[0-9]+$/.test(index) ? Number(index) : NaN;
      }) : range(quiz.questions.length);
      if (!isDraw(quiz, order)) {
        return null;
      }
      order.forEach(function (index) {
        asked[quiz.questions[index].index] = true;
      });
      state.questionOrders.push(order);
    }
    for (var i = 0; i < questions.length; i += 1) {
      var question = questions[i];
      if (!asked[i] && (answers[i] || arrangements[i])) {
        return null; // an answer to a question the attempt did not ask
      }
      var answer = answers[i] ? question.handler.decode(question, answers[i]) : null;
      if (answers[i] && answer === null) {
        return null;
      }
      state.answers.push(answer);
      var arrangement = arrangements[i] ? decodeDigits(arrangements[i]) : null;
      if (arrangement && !isPermutation(arrangement, question.handler.arrangementSize(question))) {
        return null;
      }
      state.arrangements.push(arrangement);
    }
    return state;
  }

  /**
   * Where to come back to: the first unanswered question in page order, else the result.
   * With one lesson shown at a time: in that lesson, else the lesson itself.
   */
  function resumeLocation() {
    var lesson = course ? course.currentLesson() : null;
    var here = lesson ? quizzes.filter(function (quiz) {
      return lesson.contains(quiz.element);
    }) : quizzes;
    for (var k = 0; k < here.length; k += 1) {
      var quiz = here[k];
      for (var i = 0; i < quiz.order.length; i += 1) {
        var question = quiz.questions[quiz.order[i]];
        if (question.answer === null) {
          return question.element.id;
        }
      }
    }
    var last = here[here.length - 1];
    if (last && last.result) {
      return last.result.id;
    }
    return lesson ? lesson.id : "";
  }

  // ------------------------------------------------------------------------ ordering
  /**
   * This attempt's questions (indexes in quiz.questions, source order): every question in
   * no group and `pick` of each group's, drawn at random.
   */
  function draw(quiz) {
    var left = {};
    quiz.groups.forEach(function (group) {
      shuffled(group.members).slice(group.pick).forEach(function (index) {
        left[index] = true;
      });
    });
    return range(quiz.questions.length).filter(function (index) {
      return !left[index];
    });
  }

  /** A new attempt's questions, their order and their parts' orders (only the asked ones'). */
  function newOrders(quiz) {
    var asked = draw(quiz);
    quiz.order = quiz.data.shuffleQuestions ? shuffled(asked) : asked;
    quiz.questions.forEach(function (question) {
      question.order = null;
    });
    asked.forEach(function (index) {
      var question = quiz.questions[index];
      question.order = question.handler.arrangement(question, quiz.data.shuffleChoices);
    });
  }

  /**
   * Show the attempt's questions in its order, their parts in theirs, numbered among
   * themselves; hide the questions not drawn.
   */
  function applyOrder(quiz) {
    var total = quiz.order.length;
    quiz.questions.forEach(function (question) {
      question.asked = false;
    });
    quiz.order.forEach(function (index, shownIndex) {
      var question = quiz.questions[index];
      question.asked = true;
      if (quiz.list) {
        quiz.list.appendChild(question.element);
      }
      setTemplateText(question.element.querySelector("[data-question-number]"), {
        number: shownIndex + 1,
        total: total,
      });
      question.handler.arrange(question, question.order);
    });
    quiz.questions.forEach(function (question) {
      show(question.element, question.asked);
    });
  }

  // ---------------------------------------------------------------- showing answers
  function verdictOf(question) {
    if (question.fraction >= 1) {
      return "correct";
    }
    return question.fraction > 0 && question.data.partialCredit ? "partial" : "incorrect";
  }

  function reveal(question) {
    var verdict = verdictOf(question);
    question.element.classList.add("is-answered", "is-" + verdict);
    question.handler.reveal(question, question.answer, question.quiz.data.showCorrectAnswers);
    if (question.checkButton) {
      question.checkButton.disabled = true;
      question.checkButton.hidden = true;
    }
    var feedback = question.feedback;
    if (feedback) {
      show(feedback.querySelector("[data-need-choice]"), false);
      show(feedback.querySelector("[data-need-answer]"), false);
      ["correct", "partial", "incorrect"].forEach(function (name) {
        show(feedback.querySelector('[data-verdict="' + name + '"]'), verdict === name);
      });
      setTemplateText(feedback.querySelector('[data-verdict="partial"]'), {
        earned: round2(question.fraction * question.data.points),
        points: question.data.points,
      });
      show(feedback.querySelector('[data-question-feedback="correct"]'), verdict === "correct");
      show(feedback.querySelector('[data-question-feedback="incorrect"]'), verdict !== "correct");
      show(feedback.querySelector("[data-explanation]"), true);
    }
  }

  function unreveal(question) {
    question.answer = null;
    question.fraction = 0;
    question.element.classList.remove("is-answered", "is-correct", "is-partial", "is-incorrect");
    question.handler.reset(question);
    if (question.checkButton) {
      question.checkButton.disabled = false;
      question.checkButton.hidden = false;
    }
    if (question.feedback) {
      question.feedback.querySelectorAll(
        "[data-verdict], [data-question-feedback], [data-feedback-for], [data-explanation], [data-need-choice], [data-need-answer]"
      ).forEach(function (item) {
        item.hidden = true;
      });
    }
  }

  function updateProgress(quiz) {
    var asked = askedOf(quiz);
    var counts = tally(asked);
    // the seed's form: the share of the questions answered correctly, whatever their type
    // (a partly right answer is not correct; points: in the result)
    setTemplateText(quiz.progressCount, {
      correct: counts.correct,
      total: asked.length,
      percent: shownPercent(percentOf(counts.correct, asked.length)),
    });
    setTemplateText(quiz.progressHint, {}, counts.complete ? "done" : "open");
    if (course) {
      course.quizUpdated(quiz.element, {
        answered: counts.answered,
        total: asked.length,
        percent: shownPercent(counts.percent),
        complete: counts.complete,
        passed: coursePasses(counts.percent),
      });
    }
    return counts;
  }

  /** The result box: score, the band's message and the sections to review. */
  function showResult(quiz) {
    var counts = tally(askedOf(quiz));
    var result = quiz.result;
    if (!result) {
      return;
    }
    setTemplateText(result.querySelector("[data-score-percent]"), { percent: shownPercent(counts.percent) });
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
    askedOf(quiz).forEach(function (question) {
      if (question.answer !== null && question.fraction < 1) {
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
  var lmsStatus = null;
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
    var counts = tally(askedInCourse());
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
      setTemplateText(score, { percent: shownPercent(counts.percent), earned: counts.earned, total: counts.total });
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
      showLmsNote("problem", { detail: problem.description }, true);
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
    var formats = question.handler.interaction(question, question.answer, data.runtime);
    recorder.recordInteraction({
      id: question.data.interaction,
      type: formats.type,
      learner: formats.learner,
      correctPattern: formats.correct,
      correct: question.fraction >= 1,
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

  function answer(question, given, fromLearner) {
    if (question.answer !== null) {
      return;
    }
    question.answer = given;
    question.fraction = question.handler.score(question, given);
    reveal(question);
    var counts = updateProgress(question.quiz);
    var verdict = courseComplete() ? showCourseVerdict() : null;
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
    } else if (fromLearner && question.handler.checked && question.feedback) {
      question.feedback.focus(); // the Check button is gone; keep focus next to the feedback
    }
  }

  function retry(quiz) {
    quiz.questions.forEach(unreveal);
    newOrders(quiz);
    applyOrder(quiz);
    updateProgress(quiz);
    hideResult(quiz);
    var first = quiz.questions[quiz.order[0]];
    var control = first && first.handler.firstControl(first);
    if (control) {
      control.focus();
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
      quiz.order = state.questionOrders[k];
    });
    questions.forEach(function (question, i) {
      question.order = state.arrangements[i];
    });
    quizzes.forEach(applyOrder);
    questions.forEach(function (question, i) {
      if (state.answers[i] !== null) {
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
    var dataElement = document.getElementById("srm-quiz-data");
    if (!dataElement) {
      return;
    }
    data = JSON.parse(dataElement.textContent);
    course = window.SrmCourse || null;
    lmsStatus = document.getElementById("srm-lms-status");
    build();
    recorder = safely(connect) || null;
    var info = recorder ? recorder.info : null;
    var saved = info && info.entry !== "ab-initio" ? decodeState(info.suspendData) : null;
    if (saved) {
      restore(saved);
      if (saved.answers.some(function (given) {
        return given !== null;
      })) {
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
    if (course) {
      // the lesson to come back to: where the LMS says the learner was (a saved attempt only)
      course.resume(saved && info ? info.location : "", saved ? saved.course : "");
    }
    quizzes.forEach(updateProgress);
    safely(function () {
      if (recorder && !questions.length) {
        recorder.completeWithoutScore();
      } else if (recorder && courseComplete() && !/^(passed|failed|completed)$/.test(info.status || "")) {
        // a previous session saved every answer but did not get to send the score
        recorder.complete(showCourseVerdict());
      } else if (recorder) {
        recorder.save(courseComplete());
      }
    });
    questions.forEach(function (question) {
      question.handler.wire(question, function (given) {
        answer(question, given, true);
      });
    });
    quizzes.forEach(function (quiz) {
      var retryButton = quiz.result && quiz.result.querySelector("[data-retry]");
      if (retryButton) {
        retryButton.addEventListener("click", function () {
          retry(quiz);
        });
      }
    });
    if (recorder && course) {
      // the lesson shown is where the next launch starts (lesson_location / cmi.location)
      course.onLessonChange(function () {
        safely(function () {
          if (!recorder.readOnly && !recorder.terminated) {
            recorder.saveState(encodeState(), resumeLocation());
            recorder.save(courseComplete());
          }
        });
      });
    }
    if (recorder) {
      // Every save already carries the exit and the session time (scorm-runtime.js); hidden
      // (another tab, a minimised window) brings the time up to date while the LMS can still
      // be reached: once the tab is closing, Chromium refuses Moodle's synchronous requests.
      document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "hidden") {
          safely(function () {
            recorder.save(courseComplete());
          });
        }
      });
      // a last try for browsers that still allow the request; never `unload`
      window.addEventListener("pagehide", function () {
        safely(function () {
          recorder.finish(courseComplete());
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

  // deferred scripts (this one, then the question types') have all run by DOMContentLoaded;
  // they run while readyState is already "interactive", so that is no sign to start
  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();

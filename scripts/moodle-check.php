<?php
// Moodle's side of scripts/moodle-check.py: restore a backup (as a new course or into one),
// report what Moodle made of it, take a quiz as a student. Only Moodle's own APIs; no
// assertion happens here: every subcommand prints one line "SRM-JSON: {...}" that
// moodle-check.py compares with the sources.
//
//   php moodle-check.php MOODLE_DIR restore FILE.mbz [COURSEID]
//   php moodle-check.php MOODLE_DIR inspect COURSEID
//   php moodle-check.php MOODLE_DIR attempt QUIZID USERNAME RESPONSES_JSON
//   php moodle-check.php MOODLE_DIR import-xml FILE.xml [COURSEID]   (none: into a new course)
//
// RESPONSES_JSON maps each slot to the ids of the answers the student picks, or to "right" for
// Moodle's own correct response to whichever question the slot asks (a random slot's draw).

define('CLI_SCRIPT', true);
$moodledir = $argv[1];
require($moodledir . '/config.php');
require_once($CFG->dirroot . '/backup/util/includes/restore_includes.php');
require_once($CFG->dirroot . '/mod/quiz/locallib.php');
require_once($CFG->dirroot . '/user/lib.php');
require_once($CFG->libdir . '/gradelib.php');
require_once($CFG->libdir . '/questionlib.php');

\core\session\manager::set_user(get_admin());
$command = $argv[2];
if ($command === 'restore') {
    $result = srm_restore($argv[3], (int)($argv[4] ?? 0));
} else if ($command === 'inspect') {
    $result = srm_inspect((int)$argv[3]);
} else if ($command === 'attempt') {
    $result = srm_attempt((int)$argv[3], $argv[4], json_decode($argv[5], true));
} else if ($command === 'import-xml') {
    $result = srm_import_xml($argv[3], (int)($argv[4] ?? 0));
} else {
    fwrite(STDERR, "unknown command $command\n");
    exit(2);
}
echo "SRM-JSON: " . json_encode($result) . "\n";

/**
 * Restore FILE (a backup, or a cartridge Moodle converts) as admin/cli/restore_backup.php does:
 * as a new course, or with COURSEID into that existing course, adding to what it holds.
 */
function srm_restore(string $file, int $courseid = 0): array {
    global $CFG, $DB, $USER;
    $folder = restore_controller::get_tempdir_name(SITEID, $USER->id);
    $path = make_backup_temp_directory($folder);
    get_file_packer('application/vnd.moodle.backup')->extract_to_pathname($file, $path);
    $target = $courseid ? backup::TARGET_EXISTING_ADDING : backup::TARGET_NEW_COURSE;
    if (!$courseid) {
        $category = $DB->get_field_sql('SELECT MIN(id) FROM {course_categories}');
        [$fullname, $shortname] = restore_dbops::calculate_course_names(0, 'srm restore', 'srm-restore');
        $courseid = restore_dbops::create_new_course($fullname, $shortname, $category);
    }
    $controller = new restore_controller($folder, $courseid, backup::INTERACTIVE_NO, backup::MODE_GENERAL,
        $USER->id, $target);
    $format = $controller->get_format();
    if ($controller->get_status() == backup::STATUS_REQUIRE_CONV) {
        chdir($CFG->dirroot . '/backup');  // Moodle's Common Cartridge converter reads from there
        $controller->convert();
    }
    $prechecked = $controller->execute_precheck();
    $precheck = $controller->get_precheck_results();
    if (!$prechecked) {
        $controller->destroy();
        return ['courseid' => $courseid, 'format' => $format, 'precheck' => $precheck, 'restored' => false];
    }
    $controller->execute_plan();
    $controller->destroy();
    return ['courseid' => $courseid, 'format' => $format, 'precheck' => $precheck, 'restored' => true];
}

/** What the restored course holds: sections, modules, pages, quizzes with their questions, grade items. */
function srm_inspect(int $courseid): array {
    global $CFG, $DB;
    $course = get_course($courseid);
    $modinfo = get_fast_modinfo($course);
    $sections = [];
    foreach ($modinfo->get_section_info_all() as $section) {
        $modules = [];
        foreach ($modinfo->sections[$section->section] ?? [] as $cmid) {
            $cm = $modinfo->get_cm($cmid);
            $modules[] = ['modname' => $cm->modname, 'name' => $cm->name, 'instance' => (int)$cm->instance,
                'cmid' => (int)$cm->id,
                'idnumber' => $cm->idnumber, 'visible' => (int)$cm->visible];
        }
        $sections[] = ['number' => (int)$section->section, 'name' => $section->name,
            'displayname' => get_section_name($course, $section), 'modules' => $modules];
    }
    $pages = [];
    foreach ($DB->get_records('page', ['course' => $courseid], 'id') as $page) {
        $cm = get_coursemodule_from_instance('page', $page->id, $courseid, false, MUST_EXIST);
        $pages[] = ['name' => $page->name, 'content' => $page->content, 'contentformat' => (int)$page->contentformat,
            'display' => (int)$page->display, 'cmid' => (int)$cm->id,
            'files' => srm_area_files(context_module::instance($cm->id)->id, 'mod_page', 'content', 0)];
    }
    $quizzes = [];
    foreach ($DB->get_records('quiz', ['course' => $courseid], 'id') as $quiz) {
        $quizzes[] = srm_quiz($quiz);
    }
    $items = [];
    foreach ($DB->get_records('grade_items', ['courseid' => $courseid], 'sortorder') as $item) {
        $items[] = ['itemtype' => $item->itemtype, 'itemmodule' => $item->itemmodule,
            'iteminstance' => (int)$item->iteminstance, 'itemname' => $item->itemname, 'idnumber' => $item->idnumber,
            'grademax' => (float)$item->grademax, 'gradepass' => (float)$item->gradepass,
            'hidden' => (int)$item->hidden];
    }
    $categories = [];
    $context = context_course::instance($courseid);
    foreach ($DB->get_records('question_categories', ['contextid' => $context->id], 'id') as $category) {
        $categories[] = ['name' => $category->name, 'idnumber' => $category->idnumber,
            'parent_is_top' => $category->parent && $DB->get_field('question_categories', 'parent',
                ['id' => $category->parent]) == 0,
            'questions' => (int)$DB->count_records('question_bank_entries', ['questioncategoryid' => $category->id])];
    }
    // Moodle 4.5's EXIF remover (on by default) rewrites every file of these types as it is
    // stored, also on restore: with PHP's GD (no ExifTool configured) it re-encodes JPEGs
    $exiftool = get_config('core', 'file_redactor_exifremovertoolpath');
    $redacted = !get_config('core', 'file_redactor_exifremoverenabled') ? [] : ($exiftool
        ? array_values(array_filter(array_map('trim', explode("\n", get_config('core', 'file_redactor_exifremovermimetype')))))
        : ['image/jpeg']);
    return ['moodle_release' => $CFG->release, 'php_version' => PHP_VERSION, 'wwwroot' => $CFG->wwwroot,
        'exif_remover' => ['types' => $redacted, 'tool' => $exiftool ? 'exiftool' : 'gd'],
        'courseid' => $courseid,
        'fullname' => $course->fullname, 'shortname' => $course->shortname, 'format' => $course->format,
        'sections' => $sections, 'pages' => $pages, 'quizzes' => $quizzes, 'grade_items' => $items,
        'question_categories' => $categories];
}

function srm_quiz(stdClass $quiz): array {
    global $DB;
    $fields = ['id', 'name', 'grade', 'sumgrades', 'preferredbehaviour', 'attempts', 'grademethod',
        'questionsperpage', 'shuffleanswers', 'reviewattempt', 'reviewcorrectness', 'reviewmaxmarks', 'reviewmarks',
        'reviewspecificfeedback', 'reviewgeneralfeedback', 'reviewrightanswer', 'reviewoverallfeedback'];
    $result = [];
    foreach ($fields as $field) {
        $result[$field] = is_numeric($quiz->$field) ? $quiz->$field + 0 : $quiz->$field;
    }
    $result['shufflequestions'] = (int)$DB->get_field('quiz_sections', 'shufflequestions',
        ['quizid' => $quiz->id, 'firstslot' => 1]);
    $result['feedbacks'] = array_values(array_map(fn($f) => ['text' => $f->feedbacktext,
        'mingrade' => (float)$f->mingrade, 'maxgrade' => (float)$f->maxgrade],
        $DB->get_records('quiz_feedback', ['quizid' => $quiz->id], 'mingrade DESC')));
    $quizobj = \mod_quiz\quiz_settings::create($quiz->id);
    $quizobj->preload_questions();
    $quizobj->load_questions();
    $slots = [];
    foreach ($quizobj->get_questions(null, false) as $question) {
        $answers = [];
        foreach ($question->options->answers ?? [] as $answer) {
            $answers[] = ['id' => (int)$answer->id, 'text' => $answer->answer, 'fraction' => (float)$answer->fraction,
                'feedback' => $answer->feedback,
                'files' => srm_area_files($question->contextid, 'question', 'answer', $answer->id),
                'feedback_files' => srm_area_files($question->contextid, 'question', 'answerfeedback', $answer->id),
                'tolerance' => isset($answer->tolerance) ? (float)$answer->tolerance : null];
        }
        // a matching question's prompts and their matches; other types' options by name
        $subquestions = [];
        foreach ($question->options->subquestions ?? [] as $sub) {
            $subquestions[] = ['text' => $sub->questiontext, 'answer' => $sub->answertext,
                'files' => srm_area_files($question->contextid, 'qtype_match', 'subquestion', $sub->id)];
        }
        $options = [];
        foreach (['usecase', 'gradingtype', 'selecttype', 'shuffleanswers', 'correctfeedback',
                  'incorrectfeedback', 'showunits'] as $option) {
            if (isset($question->options->$option)) {
                $options[$option] = $question->options->$option;
            }
        }
        $slots[] = ['slot' => (int)$question->slot, 'page' => (int)$question->page, 'questionid' => (int)$question->id,
            'maxmark' => (float)$question->maxmark, 'qtype' => $question->qtype, 'name' => $question->name,
            'questiontext' => $question->questiontext, 'generalfeedback' => $question->generalfeedback,
            'defaultmark' => (float)$question->defaultmark,
            'idnumber' => $DB->get_field('question_bank_entries', 'idnumber', ['id' => $question->questionbankentryid]),
            'single' => isset($question->options->single) ? (int)$question->options->single : null,
            'contextid' => (int)$question->contextid, 'answers' => $answers, 'files' => srm_question_files($question),
            'subquestions' => $subquestions, 'options' => $options];
    }
    $result['slots'] = $slots;
    return $result;
}

/** The files Moodle's file storage holds in one file area (folders left out): name, SHA-1, size, type. */
function srm_area_files(int $contextid, string $component, string $filearea, int $itemid): array {
    $files = [];
    foreach (get_file_storage()->get_area_files($contextid, $component, $filearea, $itemid, 'filename', false) as $file) {
        $files[] = ['name' => ltrim($file->get_filepath(), '/') . $file->get_filename(),
            'contenthash' => $file->get_contenthash(), 'size' => (int)$file->get_filesize(),
            'mimetype' => $file->get_mimetype()];
    }
    return $files;
}

/** A question's own file areas (text, general and combined feedback), each with its files. */
function srm_question_files(stdClass $question): array {
    $areas = [];
    foreach (['questiontext', 'generalfeedback', 'correctfeedback', 'partiallycorrectfeedback', 'incorrectfeedback']
             as $filearea) {
        $areas[$filearea] = srm_area_files($question->contextid, 'question', $filearea, $question->id);
    }
    $areas['texts'] = ['correctfeedback' => $question->options->correctfeedback ?? null,
        'partiallycorrectfeedback' => $question->options->partiallycorrectfeedback ?? null,
        'incorrectfeedback' => $question->options->incorrectfeedback ?? null];
    return $areas;
}

/**
 * Import the Moodle XML FILE into COURSEID's question bank as question/bank/importquestions does,
 * with "Get category from file" ticked; then the course context's categories: path of names,
 * ID number and the ID numbers of their questions.
 */
function srm_import_xml(string $file, int $courseid): array {
    global $CFG, $DB;
    require_once($CFG->dirroot . '/question/format.php');
    require_once($CFG->dirroot . '/question/format/xml/format.php');
    require_once($CFG->dirroot . '/course/lib.php');
    if (!$courseid) {  // a new, empty course
        $name = 'srm-xml-' . $DB->count_records('course');
        $courseid = (int)create_course((object)['fullname' => $name, 'shortname' => $name, 'category' => 1])->id;
    }
    $course = get_course($courseid);
    $context = context_course::instance($courseid);
    $contexts = new core_question\local\bank\question_edit_contexts($context);
    $category = question_make_default_categories([$context]);  // "Default for ..." under top, as the bank page makes them
    $format = new qformat_xml();
    $format->setCategory($category);
    $format->setContexts($contexts->having_one_edit_tab_cap('import'));
    $format->setCourse($course);
    $format->setFilename($file);
    $format->setRealfilename(basename($file));
    $format->setMatchgrades('error');
    $format->setCatfromfile(true);
    $format->setContextfromfile(true);
    $format->setStoponerror(true);
    ob_start();  // the importer prints its progress as HTML
    $imported = $format->importpreprocess() && $format->importprocess() && $format->importpostprocess();
    ob_end_clean();
    $names = $DB->get_records_menu('question_categories', ['contextid' => $context->id], '', 'id, name');
    $categories = [];
    foreach ($DB->get_records('question_categories', ['contextid' => $context->id], 'id') as $row) {
        $path = [];
        for ($at = $row; $at && $at->parent; $at = $DB->get_record('question_categories', ['id' => $at->parent])) {
            $path[] = $names[$at->id];
        }
        $questions = $DB->get_fieldset_sql(
            'SELECT e.idnumber FROM {question_bank_entries} e WHERE e.questioncategoryid = ? ORDER BY e.idnumber',
            [$row->id]);
        $categories[] = ['path' => implode('/', array_reverse($path)), 'idnumber' => $row->idnumber,
            'questions' => $questions];
    }
    return ['imported' => $imported, 'courseid' => $courseid, 'categories' => $categories];
}

/** Take quiz QUIZID as student USERNAME (created and enrolled if needed): check every question, submit. */
function srm_attempt(int $quizid, string $username, array $responses): array {
    global $DB, $CFG;
    $quiz = $DB->get_record('quiz', ['id' => $quizid], '*', MUST_EXIST);
    $user = $DB->get_record('user', ['username' => $username, 'mnethostid' => $CFG->mnet_localhost_id]);
    if (!$user) {
        $userid = user_create_user(['username' => $username, 'password' => 'Student#Local1', 'firstname' => 'Srm',
            'lastname' => 'Student', 'email' => $username . '@example.invalid', 'auth' => 'manual',
            'confirmed' => 1, 'mnethostid' => $CFG->mnet_localhost_id], true, false);
        $user = $DB->get_record('user', ['id' => $userid]);
    }
    $student = $DB->get_field('role', 'id', ['shortname' => 'student']);
    if (!enrol_try_internal_enrol($quiz->course, $user->id, $student)) {
        throw new moodle_exception('could not enrol the student');
    }
    \core\session\manager::set_user($user);

    $quizobj = \mod_quiz\quiz_settings::create($quizid, $user->id);
    $quba = question_engine::make_questions_usage_by_activity('mod_quiz', $quizobj->get_context());
    $quba->set_preferred_behaviour($quizobj->get_quiz()->preferredbehaviour);
    $number = 1 + $DB->count_records('quiz_attempts', ['quiz' => $quizid, 'userid' => $user->id]);
    $timenow = time();
    $attempt = quiz_create_attempt($quizobj, $number, null, $timenow, false, $user->id);
    quiz_start_new_attempt($quizobj, $quba, $attempt, $number, $timenow);
    quiz_attempt_save_started($quizobj, $quba, $attempt);
    $attemptobj = \mod_quiz\quiz_attempt::create($attempt->id);

    // Each question answered and checked ("Check" of immediate feedback): the form fields a
    // browser posts, read by Moodle from $_POST as on its attempt page.
    $_POST = ['slots' => implode(',', array_keys($responses))];
    foreach ($responses as $slot => $answerids) {
        $qa = $attemptobj->get_question_attempt((int)$slot);
        $_POST[$qa->get_control_field_name('sequencecheck')] = $qa->get_sequence_check_count();
        $_POST[$qa->get_behaviour_field_name('submit')] = 1;
        foreach (srm_response($qa, $answerids) as $name => $value) {
            $_POST[$qa->get_qt_field_name($name)] = $value;
        }
    }
    $attemptobj->process_submitted_actions($timenow, false);
    $attemptobj = \mod_quiz\quiz_attempt::create($attempt->id);
    $during = $attemptobj->get_display_options(false);
    $checked = [];
    foreach ($attemptobj->get_slots() as $slot) {
        $qa = $attemptobj->get_question_attempt($slot);
        // the question asked in the slot (a random slot's drawn one): its ID number in the bank
        $checked[$slot] = ['state' => (string)$qa->get_state(), 'fraction' => $qa->get_fraction(),
            'mark' => $qa->get_mark(), 'max' => $qa->get_max_mark(), 'idnumber' => $qa->get_question()->idnumber];
    }
    $attemptobj->process_finish($timenow, false);
    $attemptobj = \mod_quiz\quiz_attempt::create($attempt->id);
    $review = $attemptobj->get_display_options(true);
    $grade = $DB->get_field('quiz_grades', 'grade', ['quiz' => $quizid, 'userid' => $user->id]);
    $gradebook = grade_get_grades($quiz->course, 'mod', 'quiz', $quizid, $user->id);
    $item = $gradebook->items[0];
    return [
        'attemptid' => (int)$attempt->id,
        'state' => $attemptobj->get_state(),
        'sumgrades' => (float)$attemptobj->get_sum_marks(),
        'grade' => (float)$grade,
        'gradebook' => (float)$item->grades[$user->id]->grade,
        'gradebook_max' => (float)$item->grademax,
        'gradebook_pass' => (float)$item->gradepass,
        'checked' => $checked,
        'during' => srm_options($during),
        'review' => srm_options($review),
        'overallfeedback' => quiz_feedback_for_grade($grade, $quiz, $quizobj->get_context()),
    ];
}

/** The question's fields (without their prefix) for a student who picks ANSWERIDS, in its shuffled order;
 * for the types without choices, "right" (Moodle's own correct response) or "wrong" (a wrong one). */
function srm_response(question_attempt $qa, array|string $answerids): array {
    $question = $qa->get_question();
    if ($answerids === 'wrong' && ($question instanceof qtype_truefalse_question
            || $question instanceof qtype_multichoice_base)) {
        // a random slot's draw, answered wrong: its first wrong choice
        $answerids = [srm_wrong_choice($question)];
    }
    if (is_string($answerids)) {
        return srm_typed_response($question, $answerids === 'right');
    }
    if ($question instanceof qtype_truefalse_question) {
        return $answerids ? ['answer' => (int)($answerids[0] == $question->trueanswerid)] : [];
    }
    $order = $question->get_order($qa);
    if ($question instanceof qtype_multichoice_single_question) {
        return $answerids ? ['answer' => array_search($answerids[0], $order)] : [];
    }
    $response = [];
    foreach ($order as $index => $answerid) {
        $response['choice' . $index] = (int)in_array($answerid, $answerids);
    }
    return $response;
}

/** The id of a choice that earns nothing (a true/false question's: the wrong one of the two). */
function srm_wrong_choice(question_definition $question): int {
    if ($question instanceof qtype_truefalse_question) {
        return $question->rightanswer ? $question->falseanswerid : $question->trueanswerid;
    }
    foreach ($question->answers as $answer) {
        if ($answer->fraction <= 0) {
            return (int)$answer->id;
        }
    }
    throw new moodle_exception('no wrong choice in ' . $question->name);
}

function srm_typed_response(question_definition $question, bool $right): array {
    $correct = $question->get_correct_response();
    if ($right) {
        return $correct;
    }
    if ($question instanceof qtype_numerical_question) {
        return ['answer' => (string)((float)$correct['answer'] + 1000)];
    }
    if ($question instanceof qtype_shortanswer_question) {
        return ['answer' => 'srm wrong answer'];
    }
    if ($question instanceof qtype_match_question) {
        // every prompt given the first match that reads differently from its own
        $wrong = [];
        foreach ($correct as $field => $index) {
            $right = $question->choices[$question->choiceorder[$index]];
            foreach ($question->choiceorder as $other => $choiceid) {
                if ($question->choices[$choiceid] !== $right) {
                    $wrong[$field] = $other;
                    break;
                }
            }
        }
        return $wrong;
    }
    if ($question instanceof qtype_ordering_question) {
        // the right order turned by one: every item out of its place
        $name = array_key_first($correct);
        $items = explode(',', $correct[$name]);
        $items[] = array_shift($items);
        return [$name => implode(',', $items)];
    }
    throw new moodle_exception('no wrong response for ' . get_class($question));
}

function srm_options(question_display_options $options): array {
    $visible = fn($value) => $value == question_display_options::VISIBLE;
    return ['correctness' => $visible($options->correctness), 'marks' => $options->marks,
        'feedback' => $visible($options->feedback), 'generalfeedback' => $visible($options->generalfeedback),
        'rightanswer' => $visible($options->rightanswer), 'overallfeedback' => $visible($options->overallfeedback)];
}

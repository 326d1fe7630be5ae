## Returns (src/returns/): row problems, header and encoding messages, cell values, the
## templates' guidance. Keys and placeholders match locales/zh/returns.ftl (a test checks).
## Row problems start `FILE:LINE:` in every language (scripts grep it).

## ------------------------------------------------------------- cell values

returns-not-yes-no = "{ $value }" is not yes or no; write 是/否, 有/无, 已建/未建, Y/N, yes/no, true/false, 1/0 or ✓/✗
returns-not-a-date = "{ $value }" is not a date; write it as 2020-09-01, 2020/9/1, 2020.9.1, 2020年9月1日 or 20200901
returns-not-a-real-date = "{ $value }" is not a real date (there is no { $date })
returns-date-out-of-range = "{ $value }" is outside the years a return can speak of ({ $min }–{ $max }); check the year
returns-not-a-count = "{ $value }" is not a whole number of 0 or more
returns-count-too-large = "{ $value }" is too large to be a count of people (more than { $max }); check the cell
returns-code-became-number = "{ $value }" looks like a code Excel turned into a number; format the column as text (文本) and type the code again
returns-code-with-decimal = "{ $value }" looks like a code Excel turned into a number; the code is probably { $code }
returns-code-has-spaces = "{ $value }" is not a code: a code has no spaces or commas
returns-not-a-school-year = "{ $value }" is not a school year; write it as 2020-2021
returns-school-year-not-consecutive = "{ $value }" is not a school year: its two years must be consecutive, e.g. { $example }
returns-date-in-future = date in the future: { $date } is after today ({ $today }); check the year
returns-or-members = { $problem }, or a whole number of members
returns-unknown-school-type = unknown school type "{ $value }"; expected one of { $expected }
returns-not-an-area = "{ $value }" is not an urban/rural type; write { $expected }
returns-not-a-township-code = "{ $value }" is not a township code; a code is digits only, e.g. 110109001
returns-township-code-mismatch = township code { $code } does not match the township column's code { $township }
returns-area-not-inferred = cannot tell whether "{ $name }" is urban or rural from its name; add an area (城乡类型) column: { $expected }
returns-unknown-body-kind = unknown kind "{ $value }"; write { $expected }
returns-unknown-body-level = unknown level "{ $value }"; write { $expected }
returns-unknown-category = unknown category "{ $value }"; write { $expected }
returns-unknown-activity-kind = unknown activity kind "{ $value }"; expected one of { $expected }
returns-not-a-mode = "{ $value }" is not a mode; write { $expected }
returns-student-not-on-home-visit = a student ref belongs on a home visit (家访) only; leave it blank on other activities

## ------------------------------------------------------------- a roster's period and dates

returns-term-disagrees = the row says term { $row } but --term says { $given }; they must agree
returns-term-empty = the term is empty; fill it in or give --term
returns-school-year-disagrees = the row says school year { $row } but --school-year says { $given }; they must agree
returns-school-year-empty = the school year is empty; fill it in (e.g. 2020-2021) or give --school-year
returns-since-without-parent-school = a founding date is given, but the row says there is no parent school
returns-since-after-term = { $date } is after the end of term { $term } ({ $last_day }); a roster cannot record a parent school founded later

## ------------------------------------------------------------- the templates' guidance (说明 sheet)

returns-guide-fact-yes-no = 是 or 否 (optional: a blank cell is "not reported")
returns-guide-fact-yes-no-or-count = 是 or 否, or how many members (0 = none); optional: a blank cell is "not reported"
returns-guide-code = the unit's code, unique in the file; format the column as text (文本) so Excel keeps every digit
returns-guide-name = the full name
returns-guide-township = the township (乡镇/街道) by name or 9-digit code
returns-guide-township-code = the township's 9-digit code (optional)
returns-guide-area = 城区 or 农村 (optional: inferred from names ending 社区/居委会 or 村/村委会)
returns-guide-parent-school = 是 or 否
returns-guide-parent-school-since = the date the parent school was founded, e.g. 2019-09-01 (optional)
returns-guide-term = the term, e.g. 2020-2021-1 or 2020-2021学年第一学期 (or give --term when importing)
returns-guide-school-year = the school year, e.g. 2020-2021 (or give --school-year when importing)
returns-guide-schools-type = 小学, 初中, 高中, 完全中学, 九年一贯制学校, 十二年一贯制学校, 特殊教育学校, 幼儿园, 中等职业学校
returns-guide-schools-area = 城区 or 农村 (optional): lets a plan set urban and rural school rates apart
returns-guide-bodies-code = the body's own code, unique in the file and not a school's or community's code
returns-guide-bodies-kind = 家长学校 (parent-school) or 家校社共育委员会 (coedu-committee)
returns-guide-bodies-level = 区级 (district) or 机关, 社会组织, 企事业单位 (organisation)
returns-guide-bodies-township = the township (乡镇/街道) by name or code; blank for a district-wide body
returns-guide-bodies-since = the date the body was founded, e.g. 2019-09-01 (optional)
returns-guide-key-students-school = the school's code, as on the schools roster
returns-guide-key-students-ref = the school's own pseudonymous code for the student, e.g. K0001: 1–32 letters, digits, - _ . — never a name or an ID-card number
returns-guide-key-students-category = 留守, 残疾, 困境, 学业, 心理, 行为 or 其他 (optional)
returns-guide-activities-id = your own id for the activity, unique (optional but recommended)
returns-guide-activities-host = the code of the school, community or body that held the activity
returns-guide-activities-date = the date of the activity, e.g. 2020-09-15
# Each kind's spellings the template offers, and its class (plan::units::ACTIVITY_KINDS).
returns-guide-activities-kind = { $kinds }
returns-guide-activities-title = the activity's title (optional)
returns-guide-activities-participants = how many took part, a whole number (optional)
returns-guide-activities-mode = 线上 or 线下 (optional)
returns-guide-activities-student = on a 家访 only: the school's pseudonymous ref of the student visited, as on the key-students roster (optional) — never a name
returns-guide-registry-township = the township (乡镇/街道) by name or 9-digit code, as on the communities roster
returns-guide-registry-category = 留守儿童, 残疾儿童 or 困境儿童
returns-guide-registry-count = how many children are registered, a whole number (no names)
returns-guide-registry-filed = the date the registry was filed, e.g. 2020-10-15

## ------------------------------------------------------------- naming a column in a row problem

## How a row problem names its column: `letter` (by its Excel letter and the file's own
## header, as C列「学校类型」) or `label` (by the header and the column's own name, as
## `column 学校类型 (type)`).
returns-column-style = label
returns-column-lettered = column { $letter } ({ $header })
returns-column-letter-only = column { $letter }
returns-column-labelled = column { $label }
returns-column-problem = { $column }: { $problem }
returns-list-separator = ,{" "}
returns-list-separator-long = ;{" "}

## ------------------------------------------------------------- rows

returns-required-empty = a value is required here, but the cell is empty
returns-id-number = this cell holds a mainland ID-card number ({ $masked }); gongyu keeps no personal data of children or families — remove it (use the school's pseudonymous ref) and import again
returns-ref-not-a-code = a student ref is the school's pseudonymous code: 1–{ $max } ASCII letters, digits, '-', '_' or '.'; this cell has other characters (a name?) — gongyu keeps no names of children, so it is not shown here
returns-ref-length = a student ref is 1–{ $max } characters; this one has { $chars }
returns-sep-tab = tab
returns-sep-semicolon = semicolon
returns-sep-comma = comma
returns-row-too-many-cells = this row has { $cells } cells but the header has { $width }: a cell probably holds an unquoted { $sep }, which moved the values after it right — put that cell in quotes ("a{ $example } b") or remove the { $sep }
returns-row-right-of-header = this row has a value in column { $column }, right of the header's last column { $last }; give that column a header or delete the value
returns-cell-too-long = the cell holds { $chars } characters or more, more than a cell can (Excel's limit is { $max }); it is not shown here
returns-cell-too-long-text = the cell holds { $chars } characters or more, more than a cell can (Excel's limit is { $max }); it is not shown here — a quote (") that opens a cell and is never closed makes the rest of the file one cell
returns-row-unreadable = this row cannot be read as CSV: { $error }
returns-row-too-long = this row runs on for more than { $mb } MB, far longer than any return's row; a quote (") that opens a cell and is never closed makes the rest of the file one cell — check the quotes on this row

## ------------------------------------------------------------- the header row

returns-file-empty = { $file }: the file is empty; a return needs a header row naming its columns
returns-sheet-not-workbook = { $file }: --sheet applies to workbooks (.xlsx, .xls, .ods), not to text files
returns-header-repeated = columns { $first } and { $second } both give { $column }; keep one
returns-header-unknown-column = column "{ $column }" is not a column of this return; it is ignored
returns-header-below-title = the header is on line { $line }; { $count } row(s) above it (a title?) were skipped
returns-header-missing-one = required column { $column } is missing; the header may name it as any of: { $spellings }
returns-header-missing-many = required columns { $columns } and { $last } are missing; the header may name { $each }
returns-header-missing-each = { $column } as any of: { $spellings }
returns-header-as-read = . The header as read ({ $format }): { $cells }
returns-header-big5 = . The file is probably in Big5 (traditional Chinese): read as Big5 the header is { $cells } — open it in Excel or WPS, save it as "CSV UTF-8" (or GBK), and import that
returns-header-private-use = . It holds private-use characters, which no one types: the file is probably in another encoding — open it in Excel or WPS, save it as "CSV UTF-8", and import that
returns-header-blank = (blank)
returns-format-sheet = workbook, sheet { $sheet }
returns-encoding-utf8-bom = UTF-8 with BOM

## ------------------------------------------------------------- encodings and bytes

returns-workbook-not-csv = { $file } is a spreadsheet workbook, not a CSV file; in Excel or WPS use "Save As" → "CSV UTF-8" (or "CSV (逗号分隔)") and import that
returns-utf16-without-bom = { $file } holds NUL bytes: it looks like UTF-16 ("Unicode text") saved without a byte-order mark; save it again as "CSV UTF-8"
returns-nul-byte = a NUL byte (byte { $byte }): the file is not CSV text here — if it is UTF-16 ("Unicode text") saved without a byte-order mark, save it again as "CSV UTF-8"; otherwise delete the character
returns-line-looks-gbk = line { $line } is not UTF-8 like the rest of the file; it looks like GBK ("ANSI") — re-save the file as one encoding ("CSV UTF-8")
returns-line-is-utf8-in-gbk = line { $line } is UTF-8, unlike the rest of the file, which is GBK ("ANSI") — re-save the file as one encoding ("CSV UTF-8")
returns-not-utf8-here = the file is not valid UTF-8 text here (byte { $byte }); save it again as "CSV UTF-8"
returns-more-lines-not-utf8 = … and { $count } more line(s) that are not UTF-8
returns-more-lines-not-gbk = … and { $count } more line(s) that are not GBK
returns-neither-encoding = the bytes here are neither UTF-8 nor { $what } text; the file may be damaged or in another encoding — open it in Excel or WPS and save it again as "CSV UTF-8"
returns-hash-reread = reading the file again to hash it: { $error }
returns-hash-failed = hashing the file failed

## ------------------------------------------------------------- the operating system's errors

returns-cannot-open = cannot open { $file }: { $reason }
returns-cannot-read = cannot read { $file }: { $reason }
## Empty: the operating system's own words are shown.
returns-os-not-found = {""}
returns-os-permission-denied = {""}
returns-os-is-a-folder = {""}

## ------------------------------------------------------------- workbooks

returns-workbook-damaged = { $file } cannot be read as a workbook: it may be damaged, or not really a spreadsheet ({ $error })
returns-workbook-reader-stopped = its reader stopped on something it could not parse
returns-workbook-reading-sheet = reading sheet { $sheet } of { $file }
returns-workbook-no-such-sheet = { $file }: there is no sheet "{ $sheet }"; the sheets are: { $sheets }
returns-workbook-no-sheets = { $file } has no sheets
returns-workbook-too-large-advice = in Excel or WPS, save the sheet as "CSV UTF-8" and import the CSV (a CSV file of any size imports in little memory), or split the rows into several smaller workbooks
returns-workbook-too-large = { $file }: the workbook is too large to read ({ $mb } MB; gongyu reads workbooks of up to { $max } MB); { $advice }
returns-workbook-unknown-container = { $file } cannot be read as a workbook: it is neither a zipped workbook (.xlsx, .xlsb, .ods) nor an Excel 97–2003 one (.xls)
returns-workbook-too-many-parts = { $file }: the workbook has more than { $max } parts, which no spreadsheet writes; it is not a return
returns-workbook-zip-damaged = { $file } cannot be read as a workbook: it may be damaged ({ $error })
returns-workbook-zip-not-workbook = { $file } is a zip file but not a workbook (no xl/workbook.xml or content.xml in it)
returns-workbook-part-too-large = { $file }: the workbook is too large to read: its part { $part } unpacks to more than { $mb } MB (gongyu reads parts of up to { $max } MB, a sheet of some 150,000 rows); { $advice }
returns-workbook-parts-too-large = { $file }: the workbook is too large to read: its part { $part } unpacks to more than { $mb } MB with the parts before it (gongyu reads up to { $max } MB in all); { $advice }
returns-workbook-out-of-order = the sheet stores its cells out of order ({ $what }), which Excel never does; open the workbook in Excel or WPS, save it again and import that
returns-workbook-row-after-row = row { $row } after row { $previous }
returns-workbook-column-after-column = column { $column } after column { $previous }
returns-workbook-sheet-too-large = the sheet is too large to read from a workbook (over { $mb } MB of cells by this row); { $advice }
returns-cell-duration = a duration ({ $value }) where a value was expected
returns-cell-1900-02-29 = Excel's 1900-02-29 is not a real date
returns-cell-date-serial = the date serial { $serial } is out of range
returns-cell-excel-error = the cell holds the Excel error { $error }; fix the formula or type the value

## ------------------------------------------------------------- the rejects file

returns-rejects-error-column = 错误 (error)
returns-rejects-cannot-write = writing the rejected rows to { $file }

## 报表（src/returns/）：行错误、表头和编码的提示、单元格的值、模板的填写说明。
## 键和占位符与 locales/en/returns.ftl 一致（有测试检查）。
## 行错误在任何语言下都以 `文件:行:` 开头（脚本按它查找）。

## ------------------------------------------------------------- 单元格的值

returns-not-yes-no = "{ $value }" 不是"是"或"否"；请填 是/否、有/无、已建/未建、Y/N、yes/no、true/false、1/0 或 ✓/✗
returns-not-a-date = "{ $value }" 不是日期；请写成 2020-09-01、2020/9/1、2020.9.1、2020年9月1日 或 20200901
returns-not-a-real-date = "{ $value }" 不是真实存在的日期（没有 { $date } 这一天）
returns-date-out-of-range = "{ $value }" 不在报表可填的年份范围内（{ $min }–{ $max } 年）；请检查年份
returns-not-a-count = "{ $value }" 不是 0 或以上的整数
returns-count-too-large = "{ $value }" 作为人数太大（超过 { $max }）；请检查这个单元格
returns-code-became-number = "{ $value }" 像是被 Excel 变成了数字的代码；请把这一列设为"文本"格式，再重新输入代码
returns-code-with-decimal = "{ $value }" 像是被 Excel 变成了数字的代码；代码应该是 { $code }
returns-code-has-spaces = "{ $value }" 不是代码：代码里不能有空格或逗号
returns-not-a-school-year = "{ $value }" 不是学年；请写成 2020-2021
returns-school-year-not-consecutive = "{ $value }" 不是学年：前后两个年份必须相连，例如 { $example }
returns-date-in-future = 日期在今天之后：{ $date } 晚于今天（{ $today }）；请检查年份
returns-or-members = { $problem }，或填写成员人数（整数）
returns-unknown-school-type = 未知的学校类型"{ $value }"；应为 { $expected }
returns-not-an-area = "{ $value }" 不是城乡类型；请填 { $expected }
returns-not-a-township-code = "{ $value }" 不是乡镇街道代码；代码只能是数字，例如 110109001
returns-township-code-mismatch = 乡镇街道代码 { $code } 与乡镇街道列中的代码 { $township } 不一致
returns-area-not-inferred = 无法从名称"{ $name }"判断是城区还是农村；请增加一列"城乡类型"（area）：{ $expected }
returns-unknown-body-kind = 未知的机构类型"{ $value }"；请填 { $expected }
returns-unknown-body-level = 未知的级别"{ $value }"；请填 { $expected }
returns-unknown-category = 未知的类别"{ $value }"；请填 { $expected }
returns-unknown-activity-kind = 未知的活动类型"{ $value }"；应为 { $expected }
returns-not-a-mode = "{ $value }" 不是活动形式；请填 { $expected }
returns-student-not-on-home-visit = 只有家访才填学生编号；其他活动请留空

## ------------------------------------------------------------- 名册的学期、学年和日期

returns-term-disagrees = 这一行写的学期是 { $row }，但 --term 给的是 { $given }；两者必须一致
returns-term-empty = 学期为空；请填写学期，或在导入时给出 --term
returns-school-year-disagrees = 这一行写的学年是 { $row }，但 --school-year 给的是 { $given }；两者必须一致
returns-school-year-empty = 学年为空；请填写学年（例如 2020-2021），或在导入时给出 --school-year
returns-since-without-parent-school = 填了成立日期，但这一行写的是没有家长学校
returns-since-after-term = { $date } 晚于 { $term } 学期的最后一天（{ $last_day }）；名册不能记录在学期之后才成立的家长学校

## ------------------------------------------------------------- 模板的填写说明（"说明"工作表）

returns-guide-fact-yes-no = 是 或 否（选填：空着表示"未报告"）
returns-guide-fact-yes-no-or-count = 是 或 否，或填成员人数（0 表示没有）；选填：空着表示"未报告"
returns-guide-code = 单位代码，本表内不能重复；请把这一列设为"文本"格式，以免 Excel 丢失数字
returns-guide-name = 全称
returns-guide-township = 所属乡镇街道，填名称或 9 位代码
returns-guide-township-code = 乡镇街道的 9 位代码（选填）
returns-guide-area = 城区 或 农村（选填：名称以 社区/居委会 或 村/村委会 结尾时可自动判断）
returns-guide-parent-school = 是 或 否
returns-guide-parent-school-since = 家长学校的成立日期，例如 2019-09-01（选填）
returns-guide-term = 学期，例如 2020-2021-1 或 2020-2021学年第一学期（也可在导入时给出 --term）
returns-guide-school-year = 学年，例如 2020-2021（也可在导入时给出 --school-year）
returns-guide-schools-type = 小学、初中、高中、完全中学、九年一贯制学校、十二年一贯制学校、特殊教育学校、幼儿园、中等职业学校
returns-guide-schools-area = 城区 或 农村（选填）：计划可以据此分别统计城区和农村学校
returns-guide-bodies-code = 机构自己的代码，本表内不能重复，也不能与学校或社区的代码相同
returns-guide-bodies-kind = 家长学校 或 家校社共育委员会
returns-guide-bodies-level = 区级，或 机关、社会组织、企事业单位
returns-guide-bodies-township = 所属乡镇街道，填名称或代码；全区性的机构留空
returns-guide-bodies-since = 机构的成立日期，例如 2019-09-01（选填）
returns-guide-key-students-school = 学校代码，与学校名册上的一致
returns-guide-key-students-ref = 学校给学生编的代号，例如 K0001：1–32 个字母、数字或 - _ . ；不能填姓名或身份证号
returns-guide-key-students-category = 留守、残疾、困境、学业、心理、行为 或 其他（选填）
returns-guide-activities-id = 活动编号，自己编，不能重复（选填，建议填写）
returns-guide-activities-host = 举办活动的学校、社区或机构的代码
returns-guide-activities-date = 活动日期，例如 2020-09-15
# Each kind's spellings the template offers, and its class (plan::units::ACTIVITY_KINDS).
returns-guide-activities-kind = { $kinds }
returns-guide-activities-title = 活动名称（选填）
returns-guide-activities-participants = 参加人数，整数（选填）
returns-guide-activities-mode = 线上 或 线下（选填）
returns-guide-activities-student = 仅家访填写：被家访学生的学校代号，与重点关注学生名册上的一致（选填）；不能填姓名
returns-guide-registry-township = 所属乡镇街道，填名称或 9 位代码，与社区名册上的一致
returns-guide-registry-category = 留守儿童、残疾儿童 或 困境儿童
returns-guide-registry-count = 登记的儿童人数，整数（不填姓名）
returns-guide-registry-filed = 登记备案的日期，例如 2020-10-15

## ------------------------------------------------------------- 行错误怎样称呼列

## 行错误怎样称呼一列：`letter`（用 Excel 的列字母和文件自己的表头，如 C列「学校类型」）
## 或 `label`（用表头和列的英文名，如 `column 学校类型 (type)`）。
returns-column-style = letter
returns-column-lettered = { $letter }列「{ $header }」
returns-column-letter-only = { $letter }列
returns-column-labelled = 「{ $label }」列
returns-column-problem = { $column }：{ $problem }
returns-list-separator = 、
returns-list-separator-long = ；

## ------------------------------------------------------------- 数据行

returns-required-empty = 这一项必填，但单元格是空的
returns-id-number = 这个单元格里有身份证号（{ $masked }）；gongyu 不保存儿童和家庭的个人信息，请删掉它（改用学校给学生编的代号）后重新导入
returns-ref-not-a-code = 学生编号是学校给学生编的代号：1–{ $max } 个英文字母、数字或 '-'、'_'、'.'；这个单元格里有其他字符（是姓名吗？）；gongyu 不保存儿童的姓名，所以这里不显示它的内容
returns-ref-length = 学生编号应为 1–{ $max } 个字符；这个有 { $chars } 个
returns-sep-tab = 制表符
returns-sep-semicolon = 分号
returns-sep-comma = 逗号
returns-row-too-many-cells = 这一行有 { $cells } 个单元格，但表头只有 { $width } 列：可能某个单元格里有没加引号的{ $sep }，把它后面的值都挤到了右边；请给那个单元格加上英文双引号（"a{ $example } b"），或删掉这个{ $sep }
returns-row-right-of-header = 这一行在 { $column } 列有值，超出了表头的最后一列 { $last }；请给这一列加上表头，或删掉这个值
returns-cell-too-long = 这个单元格有 { $chars } 个或更多字符，超过了单元格的上限（Excel 最多 { $max } 个）；这里不显示它的内容
returns-cell-too-long-text = 这个单元格有 { $chars } 个或更多字符，超过了单元格的上限（Excel 最多 { $max } 个）；这里不显示它的内容。单元格开头的英文双引号（"）如果一直没有配对的引号，文件后面的内容就都成了这一个单元格
returns-row-too-long = 这一行超过了 { $mb } MB，比任何报表的一行都长得多；单元格开头的英文双引号（"）如果一直没有配对的引号，文件后面的内容就都成了这一个单元格。请检查这一行的引号
returns-row-unreadable = 这一行无法按 CSV 读取：{ $error }

## ------------------------------------------------------------- 表头

returns-file-empty = { $file }：文件是空的；报表需要一行表头，写明各列的名称
returns-sheet-not-workbook = { $file }：--sheet 只用于工作簿（.xlsx、.xls、.ods），不用于文本文件
returns-header-repeated = 第 { $first } 列和第 { $second } 列都是 { $column }；请只保留一列
returns-header-unknown-column = "{ $column }" 不是这种报表的列，已忽略
returns-header-below-title = 表头在第 { $line } 行；上面的 { $count } 行（标题？）已跳过
returns-header-missing-one = 缺少必填列 { $column }；表头可以写作以下任一名称：{ $spellings }
returns-header-missing-many = 缺少必填列 { $columns } 和 { $last }；表头可以这样写：{ $each }
returns-header-missing-each = { $column } 写作 { $spellings } 之一
returns-header-as-read = 。读到的表头（{ $format }）：{ $cells }
returns-header-big5 = 。这个文件可能是 Big5 编码（繁体中文）：按 Big5 读，表头是 { $cells }。请用 Excel 或 WPS 打开，另存为"CSV UTF-8"（或 GBK）后再导入
returns-header-private-use = 。表头里有没有人会输入的"私用区"字符：文件可能是别的编码。请用 Excel 或 WPS 打开，另存为"CSV UTF-8"后再导入
returns-header-blank = （空）
returns-format-sheet = 工作簿，工作表 { $sheet }
returns-encoding-utf8-bom = UTF-8（带 BOM）

## ------------------------------------------------------------- 编码和字节

returns-workbook-not-csv = { $file } 是 Excel 工作簿，不是 CSV 文件；请在 Excel 或 WPS 里"另存为"→"CSV UTF-8"（或"CSV (逗号分隔)"）后导入
returns-utf16-without-bom = { $file } 里有 NUL 字节：像是没有字节顺序标记（BOM）的 UTF-16（"Unicode 文本"）；请另存为"CSV UTF-8"
returns-nul-byte = 这里有一个 NUL 字节（第 { $byte } 个字节），不是 CSV 文本：如果文件是没有字节顺序标记（BOM）的 UTF-16（"Unicode 文本"），请另存为"CSV UTF-8"；否则请删掉这个字符
returns-line-looks-gbk = 第 { $line } 行不像文件其余部分那样是 UTF-8，看起来是 GBK（"ANSI"）；请把整个文件另存为同一种编码（"CSV UTF-8"）
returns-line-is-utf8-in-gbk = 第 { $line } 行是 UTF-8，而文件其余部分是 GBK（"ANSI"）；请把整个文件另存为同一种编码（"CSV UTF-8"）
returns-not-utf8-here = 文件在这里不是有效的 UTF-8 文本（第 { $byte } 个字节）；请另存为"CSV UTF-8"
returns-more-lines-not-utf8 = ……另有 { $count } 行不是 UTF-8
returns-more-lines-not-gbk = ……另有 { $count } 行不是 GBK
returns-neither-encoding = 这里的字节既不是 UTF-8 也不是 { $what } 文本；文件可能已损坏或是别的编码。请用 Excel 或 WPS 打开，另存为"CSV UTF-8"
returns-hash-reread = 为计算校验值再次读取文件时出错：{ $error }
returns-hash-failed = 计算文件的校验值失败

## ------------------------------------------------------------- 操作系统报告的错误

returns-cannot-open = 无法打开 { $file }：{ $reason }
returns-cannot-read = 无法读取 { $file }：{ $reason }
## 某种情况的说明留空（{""}）时，显示操作系统自己的说法。
returns-os-not-found = 文件不存在。请检查文件名和所在的文件夹
returns-os-permission-denied = 没有读取这个文件的权限。请把文件复制到自己的文件夹，或请管理员开放权限后再试
returns-os-is-a-folder = 这是一个文件夹，不是文件。请给出报表文件本身

## ------------------------------------------------------------- 工作簿

returns-workbook-damaged = { $file } 无法作为工作簿读取：文件可能已损坏，或并不是电子表格（{ $error }）
returns-workbook-reader-stopped = 读取程序遇到了无法解析的内容
returns-workbook-reading-sheet = 读取 { $file } 的工作表 { $sheet }
returns-workbook-no-such-sheet = { $file }：没有名为"{ $sheet }"的工作表；现有的工作表是：{ $sheets }
returns-workbook-no-sheets = { $file } 里没有工作表
returns-workbook-too-large-advice = 请在 Excel 或 WPS 里把这张工作表另存为"CSV UTF-8"后导入 CSV（任何大小的 CSV 都只占很少内存），或把数据行分到几个较小的工作簿里
returns-workbook-too-large = { $file }：工作簿太大，无法读取（{ $mb } MB；gongyu 最多读取 { $max } MB 的工作簿）；{ $advice }
returns-workbook-unknown-container = { $file } 无法作为工作簿读取：它既不是压缩格式的工作簿（.xlsx、.xlsb、.ods），也不是 Excel 97–2003 工作簿（.xls）
returns-workbook-too-many-parts = { $file }：工作簿的组成部分超过 { $max } 个，电子表格软件不会这样保存；这不是报表
returns-workbook-zip-damaged = { $file } 无法作为工作簿读取：文件可能已损坏（{ $error }）
returns-workbook-zip-not-workbook = { $file } 是压缩文件，但不是工作簿（里面没有 xl/workbook.xml 或 content.xml）
returns-workbook-part-too-large = { $file }：工作簿太大，无法读取：其中的 { $part } 解压后超过 { $mb } MB（gongyu 每部分最多读取 { $max } MB，约 15 万行）；{ $advice }
returns-workbook-parts-too-large = { $file }：工作簿太大，无法读取：读到 { $part } 时，解压后的内容累计超过 { $mb } MB（gongyu 总共最多读取 { $max } MB）；{ $advice }
returns-workbook-out-of-order = 工作表中单元格的存放顺序不对（{ $what }），Excel 不会这样保存；请用 Excel 或 WPS 打开工作簿，重新保存后再导入
returns-workbook-row-after-row = 第 { $row } 行在第 { $previous } 行之后
returns-workbook-column-after-column = { $column } 列在 { $previous } 列之后
returns-workbook-sheet-too-large = 工作表太大，无法从工作簿读取（到这一行为止单元格已超过 { $mb } MB）；{ $advice }
returns-cell-duration = 这里应该是一个值，却是一段时长（{ $value }）
returns-cell-1900-02-29 = Excel 的 1900-02-29 不是真实存在的日期
returns-cell-date-serial = 日期序号 { $serial } 超出了范围
returns-cell-excel-error = 单元格里是 Excel 错误 { $error }；请修正公式，或直接输入数值

## ------------------------------------------------------------- 退回文件

returns-rejects-error-column = 错误
returns-rejects-cannot-write = 把有问题的行写入 { $file } 时出错

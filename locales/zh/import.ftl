## 导入的消息（src/import.rs、src/import/、src/commands/import.rs）：每个文件的结果、提醒、
## 被退回的导入、进度行。键和占位符与 locales/en/import.ftl 一致。

## ------------------------------------------------------------- 多少个

import-count = { $count } { $kind ->
        [schools] 所学校
        [communities] 个社区
        [bodies] 个机构
        [key-students] 名重点关注学生
        [activities] 条活动
        [registry] 条登记备案
       *[other] 条{ $kind }
    }
import-more = ，另有 { $count } 行

## ------------------------------------------------------------- 每个文件的结果

import-for-period = { $period } 的{" "}
import-duplicates = ，跳过 { $count } 条重复记录
import-replaces = ；替换批次 { $batch } 的名册
import-imported = { $file }：已导入 { $period }{ $what }（共 { $rows } 行，{ $encoding }）{ $duplicates }{ $replaces }；批次 { $batch }
import-valid = { $file }：检查通过（{ $encoding }）：将导入 { $period }{ $what }（共 { $rows } 行）{ $duplicates }{ $replaces }
import-given-twice = { $file }：本次导入中已给出过同一个文件，已跳过
import-identical = { $file }：与批次 { $batch } 完全相同，已在台账中，未做任何改动
import-dry-run = 试导入（--dry-run）：台账中没有写入任何内容

## ------------------------------------------------------------- 参数

import-term-ignored = { $kind }不使用 --term，已忽略：每行的日期就是它的时间
import-term-for-school-year = --term：{ $kind }名册按学年报送，请用 --school-year（如 --school-year { $year }）
import-school-year-term-roster = --school-year 只用于重点关注学生名册；{ $kind }名册请用 --term
import-school-year-event = --school-year 只用于重点关注学生名册；{ $kind }两者都不需要
import-rejects-one-file = --rejects 只能写回一份报表；要收集各文件的退回行，请逐个导入

## ------------------------------------------------------------- 被退回的导入

import-rejected = { $files } 被退回：{ $count } 处问题；台账中没有写入任何内容
import-rejected-dry-run = { $files } 被退回：{ $count } 处问题（试导入，不写入任何内容）
import-not-listed = ……另有 { $count } 处问题未列出
import-rejects-written = { $file } 是原报表加上一列「错误」，写明每个错误行的问题：改好这些行后再导入它
import-fix-rows = 请改正上面列出的行，然后重新导入文件
import-fix-files = 请改正文件，然后重新导入
import-two-rosters = { $first } 和 { $second } 都是 { $period } 的{ $kind }名册；一份名册要列出该学期的全部单位，请合并成一个文件
import-importing = 导入 { $file } 时出错
import-importing-nothing-written = 导入 { $file } 时出错；没有写入任何内容
import-needs-term = { $file }：{ $kind }名册需要注明学期：请加 --term（如 --term 2020-2021-1），或在文件中加一列「学期」
import-needs-school-year = { $file }：{ $kind }名册需要注明学年：请加 --school-year（如 --school-year 2020-2021），或在文件中加一列「学年」；学年不会自动推断
import-empty-roster-term = { $file }：名册只有表头，没有数据行；导入空名册会清空该学期的单位
import-empty-roster-school-year = { $file }：名册只有表头，没有数据行；导入空名册会清空该学年的名单

## ------------------------------------------------------------- 跨行发现的问题

import-other-term = 这一行属于 { $period } 学期，但名册前面的行属于 { $first }；一份名册只能是一个学期的
import-other-school-year = 这一行属于 { $period } 学年，但名册前面的行属于 { $first }；一份名册只能是一个学年的
import-code-twice = 代码 { $code } 在本文件中出现了两次；第一次在第 { $line } 行
import-ref-twice = 本校编号 { $code } 在本文件中出现了两次；第一次在第 { $line } 行
import-township-code-names = 乡镇街道代码 { $code } 在第 { $line } 行是「{ $other }」，这里却是「{ $name }」；一个代码只对应一个乡镇街道
import-township-name-codes = 乡镇街道「{ $name }」在第 { $line } 行的代码是 { $other }，这里却是 { $code }；一个乡镇街道只有一个代码
import-unknown-host = 已导入的名册中没有代码为 { $code } 的学校、社区或机构；请先导入列有它的名册
import-id-conflict = 编号 { $id } 已被 { $place } 的另一条活动使用；请给这条活动一个自己的编号
import-id-conflict-same-file = 编号 { $id } 已被本文件前面 { $place } 的另一条活动使用；请给这条活动一个自己的编号

## ------------------------------------------------------------- 提醒

import-totals-skipped = { $file }：跳过了 { $count } 个合计行或表尾行（合计、填表人：……），在第 { $lines } 行
import-unknown-students = { $file }：有 { $count } 次家访所写的学生，不在主办学校该学年的任何重点关注学生名册上（第 { $lines } 行{ $more }）；这些家访已导入——请核对学生编号，或导入那份名册
import-roster-shrank = { $file }：这份名册列有 { $what }；被替换的名册（批次 { $batch }）列有 { $before } 个——未列入的单位今后不再统计
import-outside-plan = { $file }：有 { $what }的日期不在计划的学期范围内（{ $first } 至 { $last }，即 { $first_day } 至 { $last_day }），在第 { $lines } 行{ $more }；这些记录已导入——请核对年份
import-left-out-span-until = { $term } 至 { $until }
import-left-out-span = { $term } 起
import-left-out-replaced = 被替换的名册（批次 { $batch }）
import-left-out-earlier = 此前使用的 { $term } { $kind }名册（批次 { $batch }）
import-left-out-and-more = 另有 { $count } 个
import-left-out = { $file }：日期在 { $span } 的 { $activities } 条活动，由 { $units } 个单位主办；这些单位列在{ $roster }中，这份名册却没有列入：{ $list }。除非有名册列入这些单位，任何报告都不会统计这些活动——请确认是否有意不列
import-progress = 正在导入 { $file }：{ $percent }% — { $rows } 行，每秒 { $rate } 行
import-open-thread = 无法启动打开文件的线程
import-read-thread = 无法启动读取文件的线程
import-open-failed = 打开 { $file } 时意外失败
# GONGYU_TIMINGS=1：导入各阶段用时（秒），在标准错误输出一行。
import-timings = 导入用时（秒）：读取线程：解码 { $decode }，解析 { $parse }，校验 { $validate }，等待 { $read_idle }；写入线程：写入 { $write }，索引 { $index }，计数 { $tally }，提交 { $commit }，等待 { $write_idle }；总计 { $wall }

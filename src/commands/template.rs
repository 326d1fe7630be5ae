//! `gongyu template KIND [--format csv|xlsx] [-o FILE]`: a blank return with the canonical
//! Chinese headers. The xlsx form has dropdown lists for the closed vocabularies and a
//! second sheet explaining every column.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use rust_xlsxwriter::{DataValidation, Format, Workbook};

use crate::cli::{KindArg, TemplateArgs, TemplateFormat};
use crate::returns::{Column, ReturnKind};

/// Rows of the xlsx template that carry the dropdown lists.
const TEMPLATE_ROWS: u32 = 2000;

/// The header a template writes for a column: its usual Chinese name.
pub fn chinese_header(c: &Column) -> &'static str {
    match c.name {
        "parent_school" => "是否建立家长学校",
        _ => c.aliases.first().copied().unwrap_or(c.name),
    }
}

/// What a clerk should write in a column, and the dropdown choices if the list is closed.
fn guidance(kind: ReturnKind, c: &Column) -> (&'static str, Option<&'static [&'static str]>) {
    match (kind, c.name) {
        (_, "code") => ("the unit's code, unique in the file; format the column as text (文本) so Excel keeps every digit", None),
        (_, "name") => ("the full name", None),
        (ReturnKind::Schools, "type") => (
            "小学, 初中, 高中, 完全中学, 九年一贯制学校, 十二年一贯制学校, 特殊教育学校, 幼儿园, 中等职业学校",
            Some(&[
                "小学",
                "初中",
                "高中",
                "完全中学",
                "九年一贯制学校",
                "十二年一贯制学校",
                "特殊教育学校",
                "幼儿园",
                "中等职业学校",
            ]),
        ),
        (_, "township") => ("the township (乡镇/街道) by name or 9-digit code", None),
        (_, "township_code") => ("the township's 9-digit code (optional)", None),
        (_, "area") => ("城区 or 农村 (optional: inferred from names ending 社区/居委会 or 村/村委会)", Some(&["城区", "农村"])),
        (_, "parent_school" | "principal_heads") => ("是 or 否", Some(&["是", "否"])),
        (_, "parent_school_since") => ("the date the parent school was founded, e.g. 2019-09-01 (optional)", None),
        (_, "term") => ("the term, e.g. 2020-2021-1 or 2020-2021学年第一学期 (or give --term when importing)", None),
        (_, "id") => ("your own id for the activity, unique (optional but recommended)", None),
        (_, "host") => ("the code of the school or community that held the activity", None),
        (_, "date") => ("the date of the activity, e.g. 2020-09-15", None),
        (_, "kind") => (
            "讲座, 培训, 咨询, 家庭教育指导 (guidance); 亲子活动, 志愿服务, 研学, 家庭教育实践 (practice); 家长会; 家访",
            Some(&["讲座", "培训", "咨询", "家庭教育指导", "亲子活动", "志愿服务", "研学", "家庭教育实践", "家长会", "家访"]),
        ),
        (_, "title") => ("the activity's title (optional)", None),
        (_, "participants") => ("how many took part, a whole number (optional)", None),
        (_, "mode") => ("线上 or 线下 (optional)", Some(&["线上", "线下"])),
        _ => ("", None),
    }
}

pub fn run(args: TemplateArgs) -> Result<ExitCode> {
    if let Some(path) = args.output.as_ref().filter(|p| p.exists()) {
        bail!("{} already exists; choose a new name so nothing is overwritten", path.display());
    }
    let kind = match args.kind {
        KindArg::Schools => ReturnKind::Schools,
        KindArg::Communities => ReturnKind::Communities,
        KindArg::Activities => ReturnKind::Activities,
    };
    match args.format {
        TemplateFormat::Csv => {
            let headers: Vec<&str> = kind.columns().iter().map(chinese_header).collect();
            let mut bytes = b"\xEF\xBB\xBF".to_vec();
            bytes.extend_from_slice(headers.join(",").as_bytes());
            bytes.extend_from_slice(b"\r\n");
            match &args.output {
                Some(path) => {
                    std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?;
                    eprintln!("gongyu: wrote a blank {} return to {}", kind.as_str(), path.display());
                }
                None => {
                    let mut out = super::stdout();
                    out.write_all(&bytes)?;
                    super::finish(out)?;
                }
            }
        }
        TemplateFormat::Xlsx => {
            let Some(path) = &args.output else {
                bail!("an xlsx template is a file: give -o FILE.xlsx");
            };
            write_xlsx(kind, path)?;
            eprintln!("gongyu: wrote a blank {} workbook to {}", kind.as_str(), path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_xlsx(kind: ReturnKind, path: &std::path::Path) -> Result<()> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet_name = match kind {
        ReturnKind::Schools => "学校",
        ReturnKind::Communities => "社区",
        ReturnKind::Activities => "活动",
    };
    let ws = book.add_worksheet();
    ws.set_name(sheet_name)?;
    for (i, c) in kind.columns().iter().enumerate() {
        let col = i as u16;
        ws.write_string_with_format(0, col, chinese_header(c), &bold)?;
        ws.set_column_width(col, 18)?;
        let (_, choices) = guidance(kind, c);
        if let Some(choices) = choices {
            let dv = DataValidation::new().allow_list_strings(choices)?;
            ws.add_data_validation(1, col, TEMPLATE_ROWS, col, &dv)?;
        }
        if matches!(c.name, "code" | "host" | "township" | "township_code" | "id") {
            // Codes as text: Excel would otherwise drop digits or write 1.1E+11.
            ws.set_column_format(col, &text)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;

    let help = book.add_worksheet();
    help.set_name("说明")?;
    for (c, h) in ["列 (column)", "英文名 (name)", "也可写作 (also accepted)", "必填 (required)", "填写说明 (what to write)"]
        .iter()
        .enumerate()
    {
        help.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, c) in kind.columns().iter().enumerate() {
        let r = i as u32 + 1;
        help.write_string(r, 0, chinese_header(c))?;
        help.write_string(r, 1, c.name)?;
        help.write_string(r, 2, c.aliases.join(", "))?;
        help.write_string(r, 3, if c.required { "是" } else { "否" })?;
        help.write_string(r, 4, guidance(kind, c).0)?;
    }
    for (c, w) in [(0u16, 20.0), (1, 20.0), (2, 36.0), (3, 10.0), (4, 90.0)] {
        help.set_column_width(c, w)?;
    }
    book.save(path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

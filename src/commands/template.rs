//! `gongyu template KIND [--format csv|xlsx] [-o FILE]`: a blank return with the canonical
//! Chinese headers. The xlsx form has dropdown lists for the closed vocabularies and a
//! second sheet explaining every column.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Result};
use rust_xlsxwriter::{DataValidation, Format, Workbook};

use crate::cli::{TemplateArgs, TemplateFormat};
use crate::files::Target;
use crate::lang::Lang;
use crate::returns::{Column, ReturnKind};

/// Rows of the xlsx template that carry the dropdown lists.
const TEMPLATE_ROWS: u32 = 2000;

/// The header a template writes for a column: its usual Chinese name.
pub(crate) fn chinese_header(c: &Column) -> &'static str {
    match c.name {
        "parent_school" => "是否建立家长学校",
        _ => c.aliases.first().copied().unwrap_or(c.name),
    }
}

pub(crate) fn run(db: &Path, lang: Lang, args: TemplateArgs) -> Result<ExitCode> {
    let target = args.output.as_deref().map(|path| Target { path, force: args.force, ledger: Some(db), flag: "-o", lang });
    if let Some(t) = &target {
        t.check()?;
    }
    let kind = args.kind;
    match args.format {
        TemplateFormat::Csv => {
            let headers: Vec<&str> = kind.columns().iter().map(chinese_header).collect();
            let mut bytes = b"\xEF\xBB\xBF".to_vec();
            bytes.extend_from_slice(headers.join(",").as_bytes());
            bytes.extend_from_slice(b"\r\n");
            match &target {
                Some(t) => {
                    t.write(&bytes)?;
                    let file = t.path.display().to_string();
                    super::note(crate::t!(
                        "commands-template-wrote-csv",
                        kind = crate::ops::import::kind_title(kind),
                        file = file
                    ));
                }
                None => {
                    let mut out = super::stdout();
                    out.write_all(&bytes)?;
                    super::finish(out)?;
                }
            }
        }
        TemplateFormat::Xlsx => {
            let Some(t) = &target else {
                bail!(crate::t!("commands-template-xlsx-needs-o"));
            };
            t.write_with(|file, _| write_xlsx(kind, file))?;
            let file = t.path.display().to_string();
            super::note(crate::t!("commands-template-wrote-xlsx", kind = crate::ops::import::kind_title(kind), file = file));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_xlsx(kind: ReturnKind, file: &mut std::fs::File) -> Result<()> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let spec = kind.spec();
    let ws = book.add_worksheet();
    ws.set_name(spec.sheet)?;
    for (i, c) in kind.columns().iter().enumerate() {
        let col = i as u16;
        ws.write_string_with_format(0, col, chinese_header(c), &bold)?;
        ws.set_column_width(col, 18)?;
        let (_, choices) = spec.guidance_for(c);
        if let Some(choices) = choices {
            let dv = DataValidation::new().allow_list_strings(choices)?;
            ws.add_data_validation(1, col, TEMPLATE_ROWS, col, &dv)?;
        }
        if matches!(c.name, "code" | "host" | "township" | "township_code" | "id" | "school" | "ref" | "student") {
            // Codes as text: Excel would otherwise drop digits or write 1.1E+11.
            ws.set_column_format(col, &text)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;

    let help = book.add_worksheet();
    help.set_name("说明")?;
    let headers = [
        crate::t!("commands-template-help-column"),
        crate::t!("commands-template-help-name"),
        crate::t!("commands-template-help-aliases"),
        crate::t!("commands-template-help-required"),
        crate::t!("commands-template-help-what"),
    ];
    for (c, h) in headers.iter().enumerate() {
        help.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (i, c) in kind.columns().iter().enumerate() {
        let r = i as u32 + 1;
        help.write_string(r, 0, chinese_header(c))?;
        help.write_string(r, 1, c.name)?;
        help.write_string(r, 2, c.aliases.join(", "))?;
        help.write_string(r, 3, if c.required { "是" } else { "否" })?;
        help.write_string(r, 4, spec.guidance_for(c).0)?;
    }
    for (c, w) in [(0u16, 20.0), (1, 20.0), (2, 36.0), (3, 10.0), (4, 90.0)] {
        help.set_column_width(c, w)?;
    }
    book.save_to_writer(file)?;
    Ok(())
}

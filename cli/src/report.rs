//! What the commands print for people: sizes, durations and verdict lines.

use std::time::Instant;

use zkinvoice_check::Agreed;
use zkinvoice_circuits::Invoice;

/// Formats a byte count.
pub fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1u32 << 20))
    } else if bytes >= 1 << 10 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

/// The time since `t`, in seconds from one second on, else in milliseconds.
pub fn since(t: Instant) -> String {
    let s = t.elapsed().as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.1} ms", s * 1e3)
    }
}

/// An invoice's number, period and total, for a verdict line.
fn invoice_line(what: &str, invoice: &Invoice) -> String {
    format!(
        "{what} {} for {}, total {} {}",
        invoice.number,
        invoice.period,
        invoice.currency.format_minor(invoice.total),
        invoice.currency
    )
}

/// The verdict of a valid invoice or bill checked since `t` against the commitments `agreed`.
pub fn valid(what: &str, invoice: &Invoice, t: Instant, agreed: &Agreed) -> String {
    format!(
        "valid: {} (checked in {:.1} ms; against the agreed {})",
        invoice_line(what, invoice),
        t.elapsed().as_secs_f64() * 1e3,
        agreed.describe()
    )
}

/// The verdict of a valid invoice or bill checked since `t` against what is anchored.
pub fn valid_anchored(what: &str, invoice: &Invoice, t: Instant) -> String {
    format!(
        "valid: {} (checked in {:.1} ms against the anchored MSA, usage and state)",
        invoice_line(what, invoice),
        t.elapsed().as_secs_f64() * 1e3
    )
}

/// A progress bar on standard error when it is a terminal (showing `message`), hidden otherwise.
pub fn progress_bar(message: &'static str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let bar = indicatif::ProgressBar::new(0);
    if std::io::stderr().is_terminal() {
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.set_message(message);
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar
}

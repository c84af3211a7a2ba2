//! A PDF's text as a reader sees it: every word with its box and page (`pdftotext -bbox`, Debian's
//! poppler-utils), read by place: a line, what stands right of a label, a column, and at the end
//! every word the reading did not account for.
//!
//! Lines are words whose vertical centres are within [`SAME_LINE`] (a 10 pt label and its 8.5 pt
//! value on one baseline are one line). A cell or value that wraps is read line by line and joined
//! with spaces, except after a line that ends in a hyphen (Chromium breaks only at hyphens and
//! spaces here: `vCPU-` / `hour` is `vCPU-hour`).

use std::{path::Path, process::Command};

use super::tool;

/// Vertical centres closer than this are on one line (points).
const SAME_LINE: f64 = 3.0;
/// Horizontal slack when comparing edges (points).
pub const SLACK: f64 = 2.0;

/// A word on a page (points, origin at the top left).
#[derive(Debug, Clone)]
pub struct Word {
    pub page: usize,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub text: String,
}

impl Word {
    fn centre(&self) -> f64 {
        (self.y0 + self.y1) / 2.0
    }

    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    fn on_line_of(&self, other: &Word) -> bool {
        self.page == other.page && (self.centre() - other.centre()).abs() < SAME_LINE
    }
}

/// The pages' sizes and the words, in reading order (page, line, left to right), each marked once
/// read.
pub struct Pdf {
    pub pages: Vec<(f64, f64)>,
    pub words: Vec<Word>,
    used: Vec<bool>,
}

fn attr(tag: &str, name: &str) -> f64 {
    let at = tag.find(&format!("{name}=\"")).expect("the attribute") + name.len() + 2;
    let end = at + tag[at..].find('"').expect("a quoted value");
    tag[at..end].parse().expect("a number")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Joins the lines of a wrapped text (each line's words joined by spaces).
pub fn join_lines(lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines {
        if !out.is_empty() && !out.ends_with('-') {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

impl Pdf {
    /// The words of `pdf` (a file).
    pub fn read(pdf: &Path) -> Pdf {
        let out = Command::new(tool("pdftotext"))
            .arg("-bbox")
            .arg(pdf)
            .arg("-")
            .output()
            .expect("pdftotext runs");
        assert!(
            out.status.success(),
            "pdftotext: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        let (mut pages, mut words) = (Vec::new(), Vec::new());
        for line in text.lines().map(str::trim) {
            if line.starts_with("<page ") {
                pages.push((attr(line, "width"), attr(line, "height")));
            } else if let Some(rest) = line.strip_prefix("<word ") {
                let close = rest.find('>').expect("a tag");
                let text = rest[close + 1..]
                    .strip_suffix("</word>")
                    .expect("one word a line");
                words.push(Word {
                    page: pages.len() - 1,
                    x0: attr(rest, "xMin"),
                    y0: attr(rest, "yMin"),
                    x1: attr(rest, "xMax"),
                    y1: attr(rest, "yMax"),
                    text: unescape(text),
                });
            }
        }
        // Reading order: page, then line (by the first word's centre), then left to right.
        words.sort_by(|a, b| {
            (a.page, a.centre())
                .partial_cmp(&(b.page, b.centre()))
                .expect("numbers")
        });
        let mut ordered: Vec<Word> = Vec::with_capacity(words.len());
        let mut line: Vec<Word> = Vec::new();
        for w in words {
            if line.first().is_some_and(|f| !w.on_line_of(f)) {
                line.sort_by(|a, b| a.x0.partial_cmp(&b.x0).expect("numbers"));
                ordered.append(&mut line);
            }
            line.push(w);
        }
        line.sort_by(|a, b| a.x0.partial_cmp(&b.x0).expect("numbers"));
        ordered.append(&mut line);
        let used = vec![false; ordered.len()];
        Pdf {
            pages,
            words: ordered,
            used,
        }
    }

    /// The text of the words `ids` (reading order), their lines joined.
    pub fn text(&self, ids: &[usize]) -> String {
        let mut lines: Vec<String> = Vec::new();
        let mut last: Option<usize> = None;
        for &i in ids {
            let w = &self.words[i];
            match (last, lines.last_mut()) {
                (Some(l), Some(line)) if self.words[l].on_line_of(w) => {
                    line.push(' ');
                    line.push_str(&w.text);
                }
                _ => lines.push(w.text.clone()),
            }
            last = Some(i);
        }
        join_lines(&lines)
    }

    /// Marks `ids` read; a word read twice is a mistake of the test.
    pub fn take(&mut self, ids: &[usize]) {
        for &i in ids {
            assert!(!self.used[i], "{:?} read twice", self.words[i]);
            self.used[i] = true;
        }
    }

    /// The first unread run of words on one line reading `label`, on `page` or any page.
    pub fn find(&self, label: &str, page: Option<usize>) -> Option<Vec<usize>> {
        let n = label.split(' ').count();
        (0..self.words.len()).find_map(|i| {
            let ids: Vec<usize> = (i..(i + n).min(self.words.len())).collect();
            let first = &self.words[i];
            let fits = ids.len() == n
                && page.is_none_or(|p| first.page == p)
                && ids
                    .iter()
                    .all(|&j| !self.used[j] && self.words[j].on_line_of(first))
                && ids
                    .iter()
                    .map(|&j| self.words[j].text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
                    == label;
            fits.then_some(ids)
        })
    }

    /// Reads the unread run `label` (it must be there) and returns its words.
    pub fn label(&mut self, label: &str, page: Option<usize>) -> Vec<usize> {
        let ids = self
            .find(label, page)
            .unwrap_or_else(|| panic!("{label:?} is not on the page{}", self.dump()));
        self.take(&ids);
        ids
    }

    /// The words of the line after the one of word `i`, on the same page, if it follows closely
    /// (less than a line's height below).
    pub fn next_line(&self, i: usize) -> Option<Vec<usize>> {
        let w = &self.words[i];
        let head = (i + 1..self.words.len()).find(|&j| !self.words[j].on_line_of(w))?;
        let h = &self.words[head];
        if h.page != w.page || h.y0 - w.y1 > w.height() {
            return None;
        }
        Some(
            (head..self.words.len())
                .take_while(|&j| self.words[j].on_line_of(h))
                .collect(),
        )
    }

    /// Reads what stands right of the label `ids` on its line and, if it wraps, on the lines below
    /// that start where it starts (up to a line with a word further left); returns its text.
    pub fn value_right_of(&mut self, ids: &[usize]) -> String {
        let last = &self.words[*ids.last().expect("a label")];
        let mut value: Vec<usize> = (0..self.words.len())
            .filter(|&j| !self.used[j] && self.words[j].on_line_of(last) && self.words[j].x0 > last.x1)
            .collect();
        let Some(&first) = value.first() else {
            panic!("nothing right of {:?}{}", self.text(ids), self.dump())
        };
        let left = self.words[first].x0 - SLACK;
        while let Some(line) = self.next_line(*value.last().expect("a word")) {
            if line.iter().any(|&j| self.used[j] || self.words[j].x0 < left) {
                break;
            }
            value.extend(line);
        }
        self.take(&value);
        self.text(&value)
    }

    /// The words on the line of word `i`.
    pub fn line_of(&self, i: usize) -> Vec<usize> {
        let w = &self.words[i];
        (0..self.words.len())
            .filter(|&j| self.words[j].on_line_of(w))
            .collect()
    }

    /// Reads the unread words for which `f` holds, and returns them (reading order).
    pub fn take_where(&mut self, f: impl Fn(&Word) -> bool) -> Vec<usize> {
        let ids: Vec<usize> = (0..self.words.len())
            .filter(|&j| !self.used[j] && f(&self.words[j]))
            .collect();
        self.take(&ids);
        ids
    }

    /// The unread words, listed (for a failure message).
    pub fn dump(&self) -> String {
        let left: Vec<String> = (0..self.words.len())
            .filter(|&j| !self.used[j])
            .map(|j| {
                let w = &self.words[j];
                format!("p{} ({:.0}, {:.0}) {}", w.page + 1, w.x0, w.y0, w.text)
            })
            .collect();
        format!("\n--- unread words: {}", left.join(" | "))
    }

    /// Every word was accounted for by the reading.
    pub fn all_read(&self) -> bool {
        self.used.iter().all(|u| *u)
    }
}

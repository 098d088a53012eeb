//! Drawing the fleet table with ratatui: a status line, one row per device, the newest status
//! message and the keys. Knows nothing of terminals or threads: [`page`] copies what a frame shows
//! out of a [`Fleet`] (the caller holds the fleet's lock only that long), and [`draw`] draws that
//! copy into a frame, so the tests draw into ratatui's `TestBackend`.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use serde_json::Value;

use super::model::{Device, Fleet, Page, Sort, age};
use crate::mqtt::LinkState;

/// What the user has chosen on the screen; the keys change it (`app`), drawing reads it.
#[derive(Debug, Clone)]
pub struct ViewState {
    pub sort: Sort,
    pub filter: String,
    /// `/` was pressed: keys type into the filter until Enter or Esc.
    pub editing: bool,
    /// The scroll position: its offset is the first row shown (no row is selected).
    pub table: TableState,
    /// Rows that fitted last time, for PgUp/PgDn.
    pub page: usize,
    /// The screen [`page`] was taken for and its [`areas`], which [`draw`] then reuses: ratatui
    /// (built without its layout cache) solves each layout anew.
    laid_out: Option<(Rect, [Rect; 4])>,
}

impl Default for ViewState {
    fn default() -> Self {
        Self {
            sort: Sort::LastSeen,
            filter: String::new(),
            editing: false,
            table: TableState::new(),
            page: 1,
            laid_out: None,
        }
    }
}

impl ViewState {
    /// The first row shown.
    pub fn offset(&self) -> usize {
        self.table.offset()
    }

    /// Scrolls to `offset`; past the end is clamped when the next page is taken ([`page`]).
    pub fn scroll_to(&mut self, offset: usize) {
        *self.table.offset_mut() = offset;
    }
}

/// What the status line says of the MQTT session: the broker, the link, the newest status line.
#[derive(Debug, Clone, Copy)]
pub struct SessionStatus<'a> {
    /// `host:port`.
    pub broker: &'a str,
    pub link: LinkState,
    /// The newest status line (connected, reconnecting, a warning), which stderr cannot show now.
    pub message: Option<&'a str>,
}

/// Styles, in color or (NO_COLOR, `--color never`) in bold and reverse video.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub color: bool,
}

impl Palette {
    fn alarm(self) -> Style {
        let style = Style::new().add_modifier(Modifier::BOLD);
        if self.color { style.fg(Color::Red) } else { style.add_modifier(Modifier::REVERSED) }
    }

    fn silent(self) -> Style {
        let style = Style::new().add_modifier(Modifier::BOLD);
        if self.color { style.fg(Color::Yellow) } else { style.add_modifier(Modifier::REVERSED) }
    }

    fn fg(self, color: Color) -> Style {
        if self.color { Style::new().fg(color) } else { Style::new() }
    }

    fn dim(self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }
}

/// The screen's lines: status, table (header and rows), newest status message, keys.
fn areas(screen: Rect) -> [Rect; 4] {
    Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1), Constraint::Length(1)])
        .areas(screen)
}

/// Copies out of `fleet` what a `screen` of this size shows (the caller holds the fleet's lock
/// meanwhile): the counts and the rows that fit from the scroll position on, which it clamps so the
/// last page is full.
pub fn page(fleet: &Fleet, state: &mut ViewState, screen: Rect, now: Instant) -> Page {
    let laid_out = areas(screen);
    state.laid_out = Some((screen, laid_out));
    let [_, table, _, _] = laid_out;
    state.page = usize::from(table.height.saturating_sub(1)).max(1);
    let page = fleet.page(state.sort, &state.filter, now, state.offset(), state.page);
    state.scroll_to(page.first);
    page
}

/// Draws the whole screen from a [`page`] of the fleet.
pub fn draw(frame: &mut Frame, page: &Page, state: &ViewState, session: SessionStatus, palette: Palette, now: Instant) {
    let [top, table, message_area, keys] = match state.laid_out {
        Some((screen, laid_out)) if screen == frame.area() => laid_out,
        _ => areas(frame.area()),
    };
    frame.render_widget(Paragraph::new(status_line(page, state, session, palette)), top);
    draw_table(frame, table, page, state, palette, now);
    let message = session.message.unwrap_or("");
    let message_style = if message.starts_with("warning") || message.starts_with("error") {
        palette.fg(Color::Yellow)
    } else {
        palette.dim()
    };
    frame.render_widget(Paragraph::new(Span::styled(message, message_style)), message_area);
    frame.render_widget(Paragraph::new(key_line(state, palette)), keys);
}

fn status_line<'a>(page: &Page, state: &ViewState, session: SessionStatus<'a>, palette: Palette) -> Line<'a> {
    let (link, link_style) = match session.link {
        LinkState::Connecting => ("connecting", palette.fg(Color::Yellow)),
        LinkState::Connected => ("connected", palette.fg(Color::Green)),
        LinkState::Reconnecting => ("reconnecting", palette.silent()),
    };
    let (alarms, silent) = (page.alarms, page.silent);
    let bar = || Span::styled(" │ ", palette.dim());
    // The counts first: on a narrow terminal the end of the line is cut, and what needs attention
    // (alarms, silent devices, the link) must stay.
    let mut spans = vec![
        Span::styled(
            format!("{alarms} alarm{}", plural(alarms)),
            if alarms > 0 { palette.alarm() } else { Style::new() },
        ),
        bar(),
        Span::styled(format!("{silent} silent"), if silent > 0 { palette.silent() } else { Style::new() }),
        bar(),
        Span::raw(format!("{} device{}", page.devices, plural(page.devices))),
        bar(),
        Span::styled(link, link_style),
        bar(),
        Span::raw(format!("{:.1} pushes/s", page.rate)),
        bar(),
        Span::raw(format!("sort: {}", state.sort.name())),
        bar(),
        Span::styled(session.broker, Style::new().add_modifier(Modifier::BOLD)),
    ];
    if !state.filter.is_empty() {
        spans.extend([bar(), Span::raw(format!("{} of {} shown", page.matching, page.devices))]);
    }
    if page.evicted > 0 {
        // The table is full (FLEET_LIMIT): the devices heard from longest ago made room.
        spans.extend([bar(), Span::styled(format!("{} evicted, oldest first", page.evicted), palette.silent())]);
    }
    Line::from(spans)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn key_line(state: &ViewState, palette: Palette) -> Line<'static> {
    let key = |k: &'static str| Span::styled(k, Style::new().add_modifier(Modifier::BOLD));
    if state.editing {
        return Line::from(vec![
            key("/"),
            Span::raw(state.filter.clone()),
            Span::styled("█", palette.dim()),
            Span::styled("   Enter keeps the filter, Esc clears it", palette.dim()),
        ]);
    }
    let mut spans = vec![
        key("s"),
        Span::raw(" sort  "),
        key("/"),
        Span::raw(" filter  "),
        key("↑↓ PgUp PgDn Home End"),
        Span::raw(" scroll  "),
        key("q"),
        Span::raw(" quit"),
    ];
    if !state.filter.is_empty() {
        spans.extend([Span::raw("   filter: "), Span::styled(state.filter.clone(), palette.fg(Color::Cyan))]);
    }
    Line::from(spans)
}

/// The columns shown, by terminal width: the narrower, the fewer (SN, last seen and readings stay).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Sn,
    Type,
    Battery,
    Seen,
    Pushes,
    Readings,
}

impl Column {
    fn title(self) -> &'static str {
        match self {
            Column::Sn => "SN",
            Column::Type => "TYPE",
            Column::Battery => "BATT",
            Column::Seen => "LAST SEEN",
            Column::Pushes => "PUSHES",
            Column::Readings => "READINGS",
        }
    }

    /// Sized to what the visible rows hold (and the title), so that READINGS gets the rest: a
    /// fixed LAST SEEN of 14 columns for "3s" cost a narrow terminal its readings.
    fn width(self, rows: &[Device], now: Instant) -> Constraint {
        let widest = |text: &dyn Fn(&Device) -> usize| rows.iter().map(text).max().unwrap_or(0);
        let content = match self {
            Column::Sn => widest(&|d| d.sn.chars().count()).min(24),
            Column::Type => widest(&|d| d.device_type.chars().count()).min(12),
            Column::Battery => widest(&|d| d.battery().map_or(1, |v| battery_text(v).chars().count())).min(6),
            Column::Seen => widest(&|d| seen_text(d, now).chars().count()),
            Column::Pushes => widest(&|d| d.pushes.to_string().len()),
            Column::Readings => return Constraint::Fill(1),
        };
        Constraint::Length(content.max(self.title().len()) as u16)
    }
}

/// LAST SEEN's text: the age, and "silent" when the device is.
fn seen_text(device: &Device, now: Instant) -> String {
    let seen = age(now.saturating_duration_since(device.last_seen));
    if device.is_silent(now) { format!("{seen} silent") } else { seen }
}

fn columns(width: u16) -> Vec<Column> {
    use Column::*;
    match width {
        0..64 => vec![Sn, Battery, Seen, Readings],
        64..80 => vec![Sn, Type, Battery, Seen, Readings],
        _ => vec![Sn, Type, Battery, Seen, Pushes, Readings],
    }
}

/// The table of the rows the page holds (those from the scroll position on that fit).
fn draw_table(frame: &mut Frame, area: Rect, page: &Page, state: &ViewState, palette: Palette, now: Instant) {
    let columns = columns(area.width);
    let header = Row::new(columns.iter().map(|c| Cell::from(c.title())))
        .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let body: Vec<Row> =
        page.rows.iter().map(|device| Row::new(columns.iter().map(|c| cell(*c, device, palette, now)))).collect();
    let table = Table::new(body, columns.iter().map(|c| c.width(&page.rows, now))).header(header).column_spacing(1);
    frame.render_widget(table, area);
    if page.matching == 0 && area.height > 1 {
        let note = if state.filter.is_empty() {
            "waiting for the first push…".to_owned()
        } else {
            format!("no device matches \"{}\"", state.filter)
        };
        let below_header = Rect { y: area.y + 1, height: 1, ..area };
        frame.render_widget(Paragraph::new(Span::styled(note, palette.dim())), below_header);
    }
}

fn cell<'a>(column: Column, device: &'a Device, palette: Palette, now: Instant) -> Cell<'a> {
    match column {
        Column::Sn => {
            let style = if device.alarms().is_empty() { palette.fg(Color::Cyan) } else { palette.alarm() };
            Cell::from(Span::styled(device.sn.as_str(), style))
        }
        Column::Type => Cell::from(Span::styled(device.device_type.as_str(), palette.fg(Color::Yellow))),
        Column::Battery => match device.battery() {
            Some(value) => {
                let style = if device.is_alarm("battery") { palette.alarm() } else { Style::new() };
                Cell::from(Span::styled(battery_text(value), style))
            }
            None => Cell::from(Span::styled("-", palette.dim())),
        },
        Column::Seen => {
            let seen = seen_text(device, now);
            if device.is_silent(now) { Cell::from(Span::styled(seen, palette.silent())) } else { Cell::from(seen) }
        }
        Column::Pushes => Cell::from(device.pushes.to_string()),
        Column::Readings => {
            let mut spans = Vec::new();
            if device.encrypted {
                spans.push(Span::styled("(encrypted: no AppKey) ", palette.fg(Color::Yellow)));
            }
            for (i, r) in device.readings().into_iter().enumerate() {
                if i > 0 {
                    spans.push(Span::raw(" "));
                }
                let style = if r.alarm { palette.alarm() } else { Style::new() };
                spans.push(Span::styled(r.text, style));
            }
            Cell::from(Line::from(spans))
        }
    }
}

fn battery_text(value: &Value) -> String {
    match value.as_f64() {
        Some(level) => format!("{level:.0}%"),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;

    use super::*;
    use crate::pipeline::push::Push;

    fn push(sn: &str, device_type: &str, data: &str) -> Push {
        Push::parse(format!(r#"{{"sn":"{sn}","deviceType":"{device_type}","data":{data}}}"#).as_bytes()).unwrap()
    }

    /// A fleet of four: a leak alarm, a low battery, a silent device, and a calm one.
    fn fleet(start: Instant) -> Fleet {
        let mut fleet = Fleet::default();
        fleet.record(&push("00000000000000A1", "leak", r#"{"leak":true,"battery":80,"interval":60}"#), start);
        fleet.record(&push("00000000000000B2", "light", r#"{"light":12.5,"battery":9,"interval":60}"#), start);
        fleet.record(&push("00000000000000C3", "smoke", r#"{"smoke":0,"battery":70,"interval":5}"#), start);
        fleet.record(
            &push("00000000000000D4", "temp_humi", r#"{"temperature":21.5,"humidity":40,"battery":55,"interval":60}"#),
            start + Duration::from_secs(2),
        );
        fleet
    }

    const SESSION: SessionStatus =
        SessionStatus { broker: "127.0.0.1:1883", link: LinkState::Connected, message: None };

    fn render(fleet: &Fleet, state: &mut ViewState, width: u16, height: u16, color: bool, now: Instant) -> Buffer {
        render_with(fleet, state, SESSION, width, height, color, now)
    }

    /// As the app does: a page copied from the fleet, then drawn.
    fn render_with(
        fleet: &Fleet,
        state: &mut ViewState,
        session: SessionStatus,
        width: u16,
        height: u16,
        color: bool,
        now: Instant,
    ) -> Buffer {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let page = page(fleet, state, Rect::new(0, 0, width, height), now);
        terminal.draw(|frame| draw(frame, &page, state, session, Palette { color }, now)).unwrap();
        terminal.backend().buffer().clone()
    }

    fn lines(buffer: &Buffer) -> Vec<String> {
        let area = buffer.area;
        (0..area.height)
            .map(|y| (0..area.width).map(|x| buffer.cell((x, y)).unwrap().symbol()).collect::<String>())
            .collect()
    }

    /// The style of the first cell of `text` on the screen.
    fn style_of(buffer: &Buffer, text: &str) -> Style {
        let lines = lines(buffer);
        let (y, line) = lines.iter().enumerate().find(|(_, l)| l.contains(text)).unwrap_or_else(|| panic!("{text}"));
        let x = line[..line.find(text).unwrap()].chars().count();
        buffer.cell((x as u16, y as u16)).unwrap().style()
    }

    #[test]
    fn one_row_per_device_under_a_header_and_a_status_line() {
        let start = Instant::now();
        let screen =
            lines(&render(&fleet(start), &mut ViewState::default(), 120, 12, true, start + Duration::from_secs(12)));
        assert!(screen[0].starts_with("2 alarms │ 1 silent │ 4 devices │ connected"), "{screen:#?}");
        assert!(screen[0].contains("│ 127.0.0.1:1883"), "{screen:#?}");
        let header = &screen[1];
        for title in ["SN", "TYPE", "BATT", "LAST SEEN", "PUSHES", "READINGS"] {
            assert!(header.contains(title), "{title}: {header}");
        }
        // Sorted by last seen: D4 came last.
        assert!(screen[2].starts_with("00000000000000D4 temp_humi"), "{screen:#?}");
        assert!(screen[2].contains("55%") && screen[2].contains("10s"), "{}", screen[2]);
        assert!(screen[2].contains("temperature=21.5°C humidity=40%"), "{}", screen[2]);
        assert!(!screen[2].contains("interval"), "interval and battery are not readings: {}", screen[2]);
        let rows: Vec<&String> = screen.iter().filter(|l| l.starts_with("00000000000000")).collect();
        assert_eq!(rows.len(), 4);
        assert!(screen[11].contains("q quit"));
    }

    /// At 60×20 the status line keeps its counts and the readings get the room LAST SEEN does not need.
    #[test]
    fn a_60_by_20_terminal_keeps_the_counts_and_the_readings() {
        let start = Instant::now();
        let screen =
            lines(&render(&fleet(start), &mut ViewState::default(), 60, 20, true, start + Duration::from_secs(12)));
        assert!(screen[0].starts_with("2 alarms │ 1 silent │ 4 devices │ connected"), "{screen:#?}");
        let d4 = screen.iter().find(|l| l.starts_with("00000000000000D4")).unwrap();
        assert!(d4.contains("temperature=21.5°C humid"), "{screen:#?}");
        // LAST SEEN is as wide as its widest text ("12s silent"), not a fixed 14.
        assert_eq!(screen[1].find("READINGS"), Some(16 + 1 + 4 + 1 + "12s silent".len() + 1), "{screen:#?}");
    }

    #[test]
    fn alarms_are_red_and_calm_readings_are_not() {
        let start = Instant::now();
        let buffer = render(&fleet(start), &mut ViewState::default(), 120, 12, true, start);
        assert_eq!(style_of(&buffer, "leak=true").fg, Some(Color::Red));
        assert_eq!(style_of(&buffer, "9%").fg, Some(Color::Red), "battery below 20 %");
        assert_eq!(style_of(&buffer, "00000000000000A1").fg, Some(Color::Red), "the row stands out");
        assert_ne!(style_of(&buffer, "smoke=0").fg, Some(Color::Red));
        assert_ne!(style_of(&buffer, "80%").fg, Some(Color::Red));
        assert_eq!(style_of(&buffer, "2 alarms").fg, Some(Color::Red));
        // Without colors, alarms are in reverse video.
        let plain = render(&fleet(start), &mut ViewState::default(), 120, 12, false, start);
        assert!(matches!(style_of(&plain, "leak=true").fg, None | Some(Color::Reset)));
        assert!(style_of(&plain, "leak=true").add_modifier.contains(Modifier::REVERSED));
        assert!(!style_of(&plain, "smoke=0").add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn the_user_s_rules_make_the_alarm_cells_and_the_count() {
        use crate::pipeline::alarm::Rules;
        let start = Instant::now();
        let mut fleet = Fleet::new(Rules::parse(&["-leak", "battery<60", "humidity>=40"]).unwrap());
        fleet.record(&push("00000000000000A1", "leak", r#"{"leak":true,"battery":80}"#), start);
        fleet.record(
            &push("00000000000000D4", "temp_humi", r#"{"temperature":21.5,"humidity":40,"battery":55}"#),
            start,
        );
        let buffer = render(&fleet, &mut ViewState::default(), 120, 8, true, start);
        assert_ne!(style_of(&buffer, "leak=true").fg, Some(Color::Red), "-leak dropped the default");
        assert_ne!(style_of(&buffer, "00000000000000A1").fg, Some(Color::Red));
        assert_eq!(style_of(&buffer, "humidity=40%").fg, Some(Color::Red));
        assert_ne!(style_of(&buffer, "temperature=21.5°C").fg, Some(Color::Red));
        assert_eq!(style_of(&buffer, "55%").fg, Some(Color::Red), "battery<60 replaced battery<20");
        assert_eq!(style_of(&buffer, "00000000000000D4").fg, Some(Color::Red));
        assert!(lines(&buffer)[0].starts_with("1 alarm │ 0 silent │ 2 devices │"), "{:?}", lines(&buffer)[0]);
    }

    #[test]
    fn a_silent_device_is_flagged_in_its_row() {
        let start = Instant::now();
        let fleet = fleet(start);
        let before = lines(&render(&fleet, &mut ViewState::default(), 120, 12, true, start + Duration::from_secs(10)));
        assert!(!before.iter().any(|l| l.contains("silent") && l.starts_with("0000")), "{before:#?}");
        let buffer = render(&fleet, &mut ViewState::default(), 120, 12, true, start + Duration::from_secs(11));
        let screen = lines(&buffer);
        let row = screen.iter().find(|l| l.starts_with("00000000000000C3")).unwrap();
        assert!(row.contains("11s silent"), "{row}");
        assert_eq!(style_of(&buffer, "11s silent").fg, Some(Color::Yellow));
        assert!(screen[0].contains("1 silent"));
    }

    #[test]
    fn sort_and_filter_change_the_rows() {
        let start = Instant::now();
        let fleet = fleet(start);
        let sns = |state: &mut ViewState| -> Vec<String> {
            lines(&render(&fleet, state, 120, 12, true, start))
                .into_iter()
                .filter(|l| l.starts_with("0000"))
                .map(|l| l[14..16].to_owned())
                .collect()
        };
        let mut state = ViewState { sort: Sort::Battery, ..ViewState::default() };
        assert_eq!(sns(&mut state), ["B2", "D4", "C3", "A1"]);
        state.sort = Sort::Type;
        assert_eq!(sns(&mut state), ["A1", "B2", "C3", "D4"]);
        state.filter = "smoke".into();
        assert_eq!(sns(&mut state), ["C3"]);
        let screen = lines(&render(&fleet, &mut state, 120, 12, true, start));
        assert!(screen[0].contains("1 of 4 shown") && screen[0].contains("sort: type"), "{}", screen[0]);
        state.filter = "zzz".into();
        let screen = lines(&render(&fleet, &mut state, 120, 12, true, start));
        assert!(screen[2].contains("no device matches \"zzz\""), "{screen:#?}");
    }

    #[test]
    fn scrolling_shows_the_rows_past_the_page_and_stops_at_the_end() {
        let start = Instant::now();
        let fleet = fleet(start);
        // 7 lines: status, header, 3 rows, message, keys.
        let mut state = ViewState { sort: Sort::Sn, ..ViewState::default() };
        state.scroll_to(1);
        let screen = lines(&render(&fleet, &mut state, 120, 7, true, start));
        assert!(screen[2].starts_with("00000000000000B2") && screen[4].starts_with("00000000000000D4"), "{screen:#?}");
        assert_eq!(state.page, 3);
        state.scroll_to(99);
        render(&fleet, &mut state, 120, 7, true, start);
        assert_eq!(state.offset(), 1, "clamped to the last page");
    }

    #[test]
    fn narrow_terminals_keep_sn_battery_age_and_readings() {
        let start = Instant::now();
        let fleet = fleet(start);
        let screen = lines(&render(&fleet, &mut ViewState::default(), 50, 8, true, start + Duration::from_secs(12)));
        assert!(screen[1].starts_with("SN") && !screen[1].contains("TYPE"), "{}", screen[1]);
        assert!(screen[2].starts_with("00000000000000D4 55%"), "{screen:#?}");
        let screen = lines(&render(&fleet, &mut ViewState::default(), 70, 8, true, start));
        assert!(screen[1].contains("TYPE") && !screen[1].contains("PUSHES"), "{}", screen[1]);
        // Even absurdly small screens draw without panicking.
        for (w, h) in [(1, 1), (10, 2), (0, 0), (200, 3)] {
            render(&fleet, &mut ViewState::default(), w, h, false, start);
        }
    }

    #[test]
    fn the_status_line_counts_the_devices_evicted_at_the_limit() {
        let start = Instant::now();
        let now = start + Duration::from_secs(3);
        let full = fleet(start);
        let screen = lines(&render(&full, &mut ViewState::default(), 140, 12, false, now));
        assert!(!screen[0].contains("evicted"), "none yet: {screen:#?}");
        let mut fleet = Fleet::with_limit(2);
        for (n, sn) in ["00000000000000A1", "00000000000000B2", "00000000000000C3"].into_iter().enumerate() {
            fleet.record(&push(sn, "leak", r#"{"leak":false}"#), start + Duration::from_secs(n as u64));
        }
        let screen = lines(&render(&fleet, &mut ViewState::default(), 140, 12, false, now));
        assert!(screen[0].contains("2 devices │") && screen[0].contains("│ 1 evicted, oldest first"), "{screen:#?}");
        assert!(!screen.iter().any(|l| l.starts_with("00000000000000A1")), "{screen:#?}");
    }

    #[test]
    fn an_empty_fleet_says_it_waits_and_the_newest_status_line_shows() {
        let start = Instant::now();
        let session = SessionStatus { link: LinkState::Reconnecting, message: Some("warning: careful"), ..SESSION };
        let buffer = render_with(&Fleet::default(), &mut ViewState::default(), session, 100, 6, true, start);
        let screen = lines(&buffer);
        assert!(screen[0].contains("reconnecting") && screen[0].contains("0 devices"), "{screen:#?}");
        assert!(screen[2].contains("waiting for the first push"), "{screen:#?}");
        assert!(screen[4].starts_with("warning: careful"), "{screen:#?}");
    }
}

//! The event loop: the MQTT session runs on its own thread and feeds the fleet through the engine;
//! this thread owns the terminal, draws every tick, and handles keys and resizes. Each push waits
//! for the fleet's lock before it is acknowledged, so a frame holds it only to copy out what it
//! shows ([`view::page`]) and draws after letting go: a slow terminal does not slow MQTT delivery.
//!
//! The terminal is restored on every way out: `q`/Esc/Ctrl-C (raw mode turns Ctrl-C into a key),
//! SIGTERM/SIGINT/SIGHUP (the session's handler ends the session, and the loop sees it end), a
//! session that fails (refused, lost for good; the error is printed after the screen is left), an
//! error here (the guard's `Drop`) and a panic on this thread (the panic hook restores first, so the
//! message lands on the normal screen). A terminal that goes away ends the run too: see [`spawn_input`].

use std::io::{self, Write};
use std::mem::ManuallyDrop;
use std::panic;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::crossterm::{cursor, execute};
use ratatui::layout::{Position, Rect};
use ratatui::{Terminal, TerminalOptions, Viewport};

use super::model::Fleet;
use super::view::{self, Palette, SessionStatus, ViewState};
use crate::commands::subscribe::engine_options;
use crate::config::Config;
use crate::config::advice::INSECURE_WARNING;
use crate::exit::Failure;
use crate::mqtt::{self, Outcome};
use crate::pipeline::alarm::{AlarmConfig, Raised};
use crate::pipeline::output::Reads;
use crate::pipeline::push::Push;
use crate::pipeline::{Delivery, Engine, EngineOptions, Output};
use crate::status::{self, Status};

/// How often the screen is redrawn when nothing happens: ages tick, pushes/s moves.
const TICK: Duration = Duration::from_millis(250);

/// The fleet, shared by the engine (on the MQTT session's thread) and the screen.
#[derive(Clone, Default)]
struct SharedFleet(Arc<Mutex<Fleet>>);

impl SharedFleet {
    fn lock(&self) -> MutexGuard<'_, Fleet> {
        // A panic while recording a push (contained by the engine) leaves a usable fleet.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The engine's output in `watch`: each push becomes its device's row; no line is written. The
/// fleet finds the alarms itself, when it records the push.
impl Output for SharedFleet {
    fn reads(&self) -> Reads {
        Reads::default()
    }

    fn take(&mut self, _: &mut Vec<u8>, _: &Delivery, _: &str, push: &Push, _: &[Raised]) {
        self.lock().record(push, Instant::now());
    }
}

/// What a key asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    Continue,
    Quit,
}

/// Applies one key to the view. Scrolling past either end is clamped when the table is drawn.
pub fn on_key(state: &mut ViewState, key: KeyEvent) -> Action {
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return Action::Quit;
    }
    if state.editing {
        match key.code {
            KeyCode::Enter => state.editing = false,
            KeyCode::Esc => {
                state.editing = false;
                state.filter.clear();
            }
            KeyCode::Backspace => _ = state.filter.pop(),
            KeyCode::Char(c) => state.filter.push(c),
            _ => {}
        }
        state.scroll_to(0);
        return Action::Continue;
    }
    let offset = state.offset();
    match key.code {
        KeyCode::Char('q') | KeyCode::Esc => return Action::Quit,
        KeyCode::Char('s') => {
            state.sort = state.sort.next();
            state.scroll_to(0);
        }
        KeyCode::Char('/') => state.editing = true,
        KeyCode::Up => state.scroll_to(offset.saturating_sub(1)),
        KeyCode::Down => state.scroll_to(offset.saturating_add(1)),
        KeyCode::PageUp => state.scroll_to(offset.saturating_sub(state.page)),
        KeyCode::PageDown => state.scroll_to(offset.saturating_add(state.page)),
        KeyCode::Home => state.scroll_to(0),
        KeyCode::End => state.scroll_to(usize::MAX),
        _ => {}
    }
    Action::Continue
}

/// Watches the fleet until `q` or the session ends; the caller must honour [`Outcome::held`].
/// Status lines are held while the screen is up and written after it is restored.
pub fn run(config: &Config, status: Status) -> anyhow::Result<Outcome> {
    let fleet = SharedFleet(Arc::new(Mutex::new(Fleet::new(config.alarms.rules.clone()))));
    // Every push is shown: alarms select nothing here (--alarms-only and --exit-on-alarm conflict
    // with watch), and the fleet finds them with the same rules.
    let options = EngineOptions { alarms: AlarmConfig::default(), ..engine_options(config) };
    let engine = Engine::new(options, Box::new(fleet.clone()), Box::new(io::sink()), status);
    let session = mqtt::Session::new();
    crate::signals::forward_to(session.stopper())?;
    let (stopper, link) = (session.stopper(), session.link());
    let broker = format!("{}:{}", config.connection.host, config.connection.port);

    status::hold();
    let screen = match Screen::enter() {
        Ok(screen) => screen,
        Err(e) => {
            status::release();
            return Err(Failure::usage(format!("watch cannot take over the terminal: {e}")).into());
        }
    };
    if let Some(note) = &config.session_note {
        note.say(status);
    }
    if config.connection.tls.as_ref().is_some_and(|tls| !tls.verify) {
        status.warn(INSECURE_WARNING);
    }
    let (connection, clocks) = (config.connection.clone(), config.clocks);
    let subscriber = thread::Builder::new()
        .name("mqtt-session".into())
        .spawn(move || session.run(&connection, clocks, engine, status))?;

    let palette = Palette { color: config.output.color };
    let mut state = ViewState::default();
    let drawn = draw_until_done(&screen, &fleet, &mut state, palette, &broker, &link, &subscriber);
    if drawn.is_err() || !subscriber.is_finished() {
        stopper.stop();
    }
    let outcome = subscriber.join();
    drop(screen);
    status::release();
    let mut outcome = outcome
        .map_err(|_| anyhow::anyhow!("internal error: the MQTT session's thread panicked (a bug: please report it)"))?;
    if drawn.is_err() {
        // The terminal failed under us: it went away (window closed, connection dropped), which is
        // stdout's reader going away, a quiet end. Nobody is left to read an error.
        outcome = Outcome::StdoutClosed { held: outcome.held() };
    }
    Ok(outcome)
}

/// Draws and handles keys until `q` (or the like) or the session's end. Fails only when the
/// terminal does: a write to it or a read from it fails.
fn draw_until_done(
    screen: &Screen,
    fleet: &SharedFleet,
    state: &mut ViewState,
    palette: Palette,
    broker: &str,
    link: &mqtt::Link,
    subscriber: &thread::JoinHandle<Outcome>,
) -> io::Result<()> {
    // Never dropped: ratatui's `Drop` shows the cursor and `eprintln!`s if that fails, which panics
    // when stderr is a terminal that went away. `Screen` shows the cursor itself, ignoring failures;
    // the buffers (a few KiB) go with the process.
    let mut terminal = ManuallyDrop::new(screen.terminal()?);
    let input = spawn_input()?;
    while !subscriber.is_finished() {
        let now = Instant::now();
        let message = status::newest_held();
        let session = SessionStatus { broker, link: link.state(), message: message.as_deref() };
        let _devices = draw_frame(&mut terminal, fleet, state, session, palette, now)?;
        #[cfg(debug_assertions)]
        injected_panic(_devices);
        let deadline = now + TICK;
        while let Some(wait) = deadline.checked_duration_since(Instant::now()) {
            match input.recv_timeout(wait) {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                    if on_key(state, key) == Action::Quit {
                        return Ok(());
                    }
                    break;
                }
                // ratatui's next draw takes the new size.
                Ok(Event::Resize(..)) => break,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the terminal's input ended"));
                }
            }
        }
    }
    Ok(())
}

/// One frame: what it shows is copied out under the fleet's lock, and drawn once the lock is let
/// go, so a push never waits for the terminal. Returns the number of devices.
fn draw_frame<B: Backend>(
    terminal: &mut Terminal<B>,
    fleet: &SharedFleet,
    state: &mut ViewState,
    session: SessionStatus,
    palette: Palette,
    now: Instant,
) -> Result<usize, B::Error> {
    let area = Rect::from((Position::ORIGIN, terminal.size()?));
    let page = {
        let mut fleet = fleet.lock();
        fleet.sample(now);
        view::page(&fleet, state, area, now)
    };
    terminal.draw(|frame| view::draw(frame, &page, state, session, palette, now))?;
    Ok(page.devices)
}

/// Fault injection for tests/watch.rs, in debug builds only: with `SENSORO_SUB_TEST_PANIC_WATCH`
/// set the screen's thread panics once a device is on the screen (so the session has subscribed),
/// the way a bug would, to show that the panic hook gives the terminal back with the held lines.
#[cfg(debug_assertions)]
fn injected_panic(devices: usize) {
    if devices > 0 && std::env::var_os("SENSORO_SUB_TEST_PANIC_WATCH").is_some() {
        panic!("injected by SENSORO_SUB_TEST_PANIC_WATCH");
    }
}

/// Keys and resizes, read on a thread of their own so that the screen's loop always gets its turn:
/// once the terminal is gone (window closed, ssh dropped) crossterm's reader retries it forever,
/// even within `event::poll`'s timeout (crossterm-rs/crossterm#793), while the session ends (on the
/// SIGHUP, or on seeing stdout hung up when no signal comes) and the loop must see that. The thread
/// ends with the process; the channel closes if a read fails. (Nothing else may use crossterm's
/// reader meanwhile, e.g. `cursor::position`: this thread holds it.)
fn spawn_input() -> io::Result<Receiver<Event>> {
    let (events, input) = mpsc::sync_channel(64);
    thread::Builder::new().name("terminal-input".into()).spawn(move || {
        while let Ok(event) = event::read() {
            if events.send(event).is_err() {
                break;
            }
        }
    })?;
    Ok(input)
}

/// The terminal while `watch` owns it: raw mode, the alternate screen, no cursor. Leaving restores it.
struct Screen;

/// True while the terminal is taken over; whoever restores it first clears it.
static TAKEN: AtomicBool = AtomicBool::new(false);

impl Screen {
    fn enter() -> io::Result<Screen> {
        install_panic_hook(thread::current().id());
        enable_raw_mode()?;
        TAKEN.store(true, Ordering::SeqCst);
        let screen = Screen;
        execute!(io::stdout(), EnterAlternateScreen, cursor::Hide)?;
        Ok(screen)
    }

    fn terminal(&self) -> io::Result<Terminal<CrosstermBackend<io::Stdout>>> {
        Terminal::with_options(CrosstermBackend::new(io::stdout()), TerminalOptions { viewport: Viewport::Fullscreen })
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        restore();
    }
}

fn restore() {
    if TAKEN.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let mut stdout = io::stdout();
        let _ = execute!(stdout, LeaveAlternateScreen, cursor::Show);
        let _ = stdout.flush();
    }
}

/// A panic on the screen's thread restores the terminal before the message is printed. On another
/// thread (the engine contains a panic while handling a push and goes on) the message is held with
/// the status lines instead of tearing the screen.
fn install_panic_hook(screen_thread: ThreadId) {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if !TAKEN.load(Ordering::SeqCst) {
            previous(info);
        } else if thread::current().id() == screen_thread {
            restore();
            status::release_in_panic();
            previous(info);
        } else {
            status::error_line(false, format_args!("panic on thread {:?}: {info}", thread::current().name()));
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mqtt::LinkState;
    use crate::watch::model::Sort;
    use ratatui::backend::{ClearType, TestBackend, WindowSize};
    use ratatui::buffer::Cell;
    use ratatui::layout::Size;

    /// A terminal that fails the test if it is written while the fleet's lock is held.
    struct LockCheckingBackend {
        screen: TestBackend,
        fleet: SharedFleet,
        writes: usize,
    }

    impl LockCheckingBackend {
        fn check(&mut self) {
            assert!(self.fleet.0.try_lock().is_ok(), "the terminal is written while the fleet's lock is held");
            self.writes += 1;
        }
    }

    impl Backend for LockCheckingBackend {
        type Error = std::convert::Infallible;
        fn draw<'a, I: Iterator<Item = (u16, u16, &'a Cell)>>(&mut self, content: I) -> Result<(), Self::Error> {
            self.check();
            self.screen.draw(content)
        }
        fn hide_cursor(&mut self) -> Result<(), Self::Error> {
            self.screen.hide_cursor()
        }
        fn show_cursor(&mut self) -> Result<(), Self::Error> {
            self.screen.show_cursor()
        }
        fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
            self.screen.get_cursor_position()
        }
        fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
            self.screen.set_cursor_position(position)
        }
        fn clear(&mut self) -> Result<(), Self::Error> {
            self.screen.clear()
        }
        fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
            self.screen.clear_region(clear_type)
        }
        fn size(&self) -> Result<Size, Self::Error> {
            self.screen.size()
        }
        fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
            self.screen.window_size()
        }
        fn flush(&mut self) -> Result<(), Self::Error> {
            self.check();
            self.screen.flush()
        }
    }

    #[test]
    fn a_frame_is_drawn_after_the_fleet_s_lock_is_let_go() {
        let fleet = SharedFleet::default();
        let push = Push::parse(br#"{"sn":"00000000000000A1","deviceType":"leak","data":{"leak":true}}"#).unwrap();
        fleet.lock().record(&push, Instant::now());
        let screen = LockCheckingBackend { screen: TestBackend::new(80, 8), fleet: fleet.clone(), writes: 0 };
        let mut terminal = Terminal::new(screen).unwrap();
        let session = SessionStatus { broker: "127.0.0.1:1883", link: LinkState::Connected, message: None };
        let mut state = ViewState::default();
        let devices =
            draw_frame(&mut terminal, &fleet, &mut state, session, Palette { color: false }, Instant::now()).unwrap();
        assert_eq!(devices, 1);
        assert!(terminal.backend().writes > 0, "the frame was written");
        let shown = terminal.backend().screen.buffer().content().iter().map(Cell::symbol).collect::<String>();
        assert!(shown.contains("00000000000000A1") && shown.contains("1 alarm"), "{shown}");
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn keys_sort_scroll_filter_and_quit() {
        let mut state = ViewState::default();
        state.page = 10;
        assert_eq!(on_key(&mut state, key(KeyCode::Char('s'))), Action::Continue);
        assert_eq!(state.sort, Sort::Sn);
        on_key(&mut state, key(KeyCode::PageDown));
        on_key(&mut state, key(KeyCode::Down));
        assert_eq!(state.offset(), 11);
        on_key(&mut state, key(KeyCode::Up));
        on_key(&mut state, key(KeyCode::PageUp));
        assert_eq!(state.offset(), 0);
        on_key(&mut state, key(KeyCode::End));
        assert_eq!(state.offset(), usize::MAX);
        on_key(&mut state, key(KeyCode::Home));
        assert_eq!(state.offset(), 0);

        on_key(&mut state, key(KeyCode::Char('/')));
        for c in "leaq".chars() {
            assert_eq!(on_key(&mut state, key(KeyCode::Char(c))), Action::Continue, "q types while filtering");
        }
        on_key(&mut state, key(KeyCode::Backspace));
        on_key(&mut state, key(KeyCode::Char('k')));
        on_key(&mut state, key(KeyCode::Enter));
        assert_eq!((state.filter.as_str(), state.editing), ("leak", false));
        on_key(&mut state, key(KeyCode::Char('/')));
        on_key(&mut state, key(KeyCode::Esc));
        assert_eq!((state.filter.as_str(), state.editing), ("", false), "Esc clears the filter");

        assert_eq!(on_key(&mut state, key(KeyCode::Char('q'))), Action::Quit);
        assert_eq!(on_key(&mut state, key(KeyCode::Esc)), Action::Quit);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        state.editing = true;
        assert_eq!(on_key(&mut state, ctrl_c), Action::Quit, "even while filtering");
    }
}

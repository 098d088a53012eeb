//! A hostile broker of the tests' own: speaks just enough MQTT 3.1.1 (CONNECT → CONNACK, SUBSCRIBE
//! → SUBACK, PINGREQ → PINGRESP) to get a subscriber going, then sends whatever bytes a test asks for:
//! PUBLISH packets with topics no real broker would route, truncated packets, absurd lengths, or
//! silence where an answer is due. Loopback only; its thread ends when the handle drops.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// What the broker does on one connection, in order.
#[derive(Clone, Debug)]
pub struct Script {
    /// The CONNACK return code to answer CONNECT with; `None`: never answer.
    pub connack: Option<u8>,
    /// Whether to answer SUBSCRIBE (granting QoS 1).
    pub suback: bool,
    /// Raw bytes sent once subscribed (or right after CONNACK when `suback` is false), in order.
    pub send: Vec<Vec<u8>>,
    /// Close the connection this long after sending; `None`: keep it open.
    pub close_after: Option<Duration>,
}

impl Script {
    /// CONNACK 0, SUBACK, then these packets; the connection stays open.
    pub fn serving(send: Vec<Vec<u8>>) -> Script {
        Script { connack: Some(0), suback: true, send, close_after: None }
    }
}

pub struct HostileBroker {
    pub port: u16,
    /// What the subscriber sent, one entry per packet: `connect`, `subscribe`, `puback N`, ...
    pub seen: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl HostileBroker {
    /// Connection `n` (from 0) follows `scripts[n]`, or the last script once they run out.
    pub fn start(scripts: Vec<Script>) -> HostileBroker {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("nonblocking accept");
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen_by_thread, stop_for_thread) = (Arc::clone(&seen), Arc::clone(&stop));
        thread::spawn(move || {
            let mut connection = 0;
            while !stop_for_thread.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let script = scripts[connection.min(scripts.len() - 1)].clone();
                        connection += 1;
                        let (seen, stop) = (Arc::clone(&seen_by_thread), Arc::clone(&stop_for_thread));
                        thread::spawn(move || serve(stream, script, &seen, &stop));
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => thread::sleep(Duration::from_millis(10)),
                    Err(_) => return,
                }
            }
        });
        HostileBroker { port, seen, stop }
    }

    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    /// The subscriber's flags for this broker, with credentials.
    pub fn args(&self, extra: &[&str]) -> Vec<String> {
        let port = self.port.to_string();
        super::args_with(&["--host", "127.0.0.1", "--port", &port], extra)
    }
}

impl Drop for HostileBroker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// A PUBLISH packet, whatever its topic's bytes; QoS 1 carries `id`.
pub fn publish(topic: &[u8], payload: &[u8], qos: u8, id: u16) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&(topic.len() as u16).to_be_bytes());
    body.extend_from_slice(topic);
    if qos > 0 {
        body.extend_from_slice(&id.to_be_bytes());
    }
    body.extend_from_slice(payload);
    packet(0x30 | (qos << 1), &body)
}

/// A packet: the first byte, the remaining length, the body.
pub fn packet(first: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![first];
    let mut length = body.len();
    loop {
        let mut byte = (length % 128) as u8;
        length /= 128;
        if length > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if length == 0 {
            break;
        }
    }
    out.extend_from_slice(body);
    out
}

fn serve(mut stream: TcpStream, script: Script, seen: &Mutex<Vec<String>>, stop: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let note = |what: String| seen.lock().unwrap().push(what);
    let mut sent = false;
    let mut close_at = None;
    let mut buffer = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        if close_at.is_some_and(|at| Instant::now() >= at) {
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(_) => return,
        }
        while let Some((first, body, used)) = next_packet(&buffer) {
            buffer.drain(..used);
            let reply: Option<Vec<u8>> = match first >> 4 {
                1 => {
                    note("connect".into());
                    let answer = script.connack.map(|code| packet(0x20, &[0, code]));
                    if answer.is_some() && !script.suback {
                        sent = true;
                    }
                    answer
                }
                8 => {
                    note("subscribe".into());
                    if script.suback {
                        sent = true;
                        Some(packet(0x90, &[body[0], body[1], 1]))
                    } else {
                        None
                    }
                }
                4 => {
                    note(format!("puback {}", u16::from_be_bytes([body[0], body[1]])));
                    None
                }
                12 => Some(packet(0xd0, &[])),
                14 => {
                    note("disconnect".into());
                    None
                }
                other => {
                    note(format!("packet type {other}"));
                    None
                }
            };
            if let Some(reply) = reply
                && stream.write_all(&reply).is_err()
            {
                return;
            }
            if sent {
                sent = false;
                for bytes in &script.send {
                    if stream.write_all(bytes).is_err() {
                        return;
                    }
                }
                close_at = script.close_after.map(|after| Instant::now() + after);
            }
        }
    }
}

/// The first whole packet in `buffer`: (first byte, body, bytes used).
fn next_packet(buffer: &[u8]) -> Option<(u8, Vec<u8>, usize)> {
    let (&first, rest) = buffer.split_first()?;
    let (mut length, mut shift, mut used) = (0usize, 0, 1);
    for &byte in rest.iter().take(4) {
        used += 1;
        length |= usize::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            let end = used + length;
            return (buffer.len() >= end).then(|| (first, buffer[used..end].to_vec(), end));
        }
    }
    None
}

//! The ceiling of the peer table: a raw MQTT 3.1.1 subscriber on a plain socket that discards each
//! push's payload (it writes one line per push to stdout, so the harness can count them) and answers
//! a whole read's QoS 1 pushes with their PUBACKs in one send. No client library, no decoding: what
//! the broker and the loopback can do, against which a real subscriber is measured.
//!
//! `null_subscriber HOST PORT USER PASSWORD CLIENT_ID QOS COUNT DURABLE(0|1)`

use std::io::{Read, Write};
use std::net::TcpStream;

fn field(text: &str) -> Vec<u8> {
    let mut out = (text.len() as u16).to_be_bytes().to_vec();
    out.extend_from_slice(text.as_bytes());
    out
}

fn packet(first: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![first];
    let mut length = body.len();
    loop {
        let byte = (length % 128) as u8;
        length /= 128;
        out.push(if length > 0 { byte | 0x80 } else { byte });
        if length == 0 {
            break;
        }
    }
    out.extend_from_slice(body);
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, host, port, user, password, client_id, qos, count, durable] = args.as_slice() else {
        eprintln!("usage: null_subscriber HOST PORT USER PASSWORD CLIENT_ID QOS COUNT DURABLE(0|1)");
        std::process::exit(2);
    };
    let (qos, count): (u8, u64) = (qos.parse().expect("QOS"), count.parse().expect("COUNT"));
    let mut socket = TcpStream::connect(format!("{host}:{port}")).expect("connect");
    socket.set_nodelay(true).expect("nodelay");
    let clean = if durable == "1" { 0 } else { 0x02 };
    let mut connect = field("MQTT");
    connect.extend([4, 0xC0 | clean, 0, 60]);
    for text in [client_id, user, password] {
        connect.extend(field(text));
    }
    socket.write_all(&packet(0x10, &connect)).expect("CONNECT");
    let mut subscribe = vec![0, 1];
    subscribe.extend(field(&format!("users/{user}/devices")));
    subscribe.push(qos);
    socket.write_all(&packet(0x82, &subscribe)).expect("SUBSCRIBE");

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (mut buffer, mut start, mut seen) = (vec![0u8; 1 << 16], 0usize, 0u64);
    let mut acks = Vec::with_capacity(4096);
    let mut lines = Vec::with_capacity(1 << 16);
    while count == 0 || seen < count {
        if start == buffer.len() {
            buffer.resize(buffer.len() * 2, 0);
        }
        let n = socket.read(&mut buffer[start..]).expect("read");
        if n == 0 {
            break;
        }
        let end = start + n;
        let mut at = 0;
        // Every whole packet in the buffer; a partial one stays for the next read.
        while at < end {
            let (mut length, mut shift, mut used) = (0usize, 0, 1);
            let mut whole = false;
            while at + used < end && used <= 4 {
                let byte = buffer[at + used];
                length |= usize::from(byte & 0x7f) << shift;
                shift += 7;
                used += 1;
                if byte & 0x80 == 0 {
                    whole = at + used + length <= end;
                    break;
                }
            }
            if !whole {
                break;
            }
            let (first, body) = (buffer[at], &buffer[at + used..at + used + length]);
            if first >> 4 == 3 {
                seen += 1;
                lines.push(b'\n');
                if (first >> 1) & 3 > 0 {
                    let topic_len = usize::from(u16::from_be_bytes([body[0], body[1]]));
                    acks.extend([0x40, 2, body[2 + topic_len], body[3 + topic_len]]);
                }
            }
            at += used + length;
        }
        if !acks.is_empty() {
            socket.write_all(&acks).expect("PUBACKs");
            acks.clear();
        }
        if !lines.is_empty() {
            out.write_all(&lines).expect("stdout");
            out.flush().expect("stdout");
            lines.clear();
        }
        buffer.copy_within(at..end, 0);
        start = end - at;
    }
    let _ = socket.write_all(&[0xE0, 0]);
}

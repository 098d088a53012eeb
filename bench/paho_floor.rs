//! paho's floor: a subscriber through paho-mqtt whose callback does next to nothing (appends the
//! payload and a newline to a 64 KiB buffer, written when full or at the end). Run beside the others
//! in `bench/subscribers.py` (tool "paho floor"), it shows how fast paho itself can deliver a drain,
//! so the cost of our own pipeline and of paho's core can be told apart.
//!
//! `paho_floor HOST PORT USER PASSWORD CLIENT_ID QOS COUNT DURABLE(0|1)`

use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

use paho_mqtt as mqtt;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, host, port, user, password, client_id, qos, count, durable] = args.as_slice() else {
        eprintln!("usage: paho_floor HOST PORT USER PASSWORD CLIENT_ID QOS COUNT DURABLE(0|1)");
        std::process::exit(2);
    };
    let qos: i32 = qos.parse().expect("QOS");
    let count: u64 = count.parse().expect("COUNT");
    let client = mqtt::CreateOptionsBuilder::new()
        .server_uri(format!("tcp://{host}:{port}"))
        .client_id(client_id)
        .persistence(mqtt::PersistenceType::None)
        .create_client()
        .expect("client");
    let (done, finished) = mpsc::channel();
    let mut buffer = Vec::with_capacity(1 << 16);
    let mut seen = 0u64;
    client.set_message_callback(move |_, message| {
        let Some(message) = message else { return };
        buffer.extend_from_slice(message.payload());
        buffer.push(b'\n');
        seen += 1;
        if buffer.len() >= (1 << 16) - 1024 || seen == count {
            std::io::stdout().write_all(&buffer).expect("stdout");
            buffer.clear();
        }
        if seen == count {
            let _ = done.send(());
        }
    });
    let options = mqtt::ConnectOptionsBuilder::new()
        .user_name(user)
        .password(password.as_str())
        .clean_session(durable != "1")
        .keep_alive_interval(Duration::from_secs(30))
        .finalize();
    client.connect(options).wait().expect("connect");
    client.subscribe(format!("users/{user}/devices"), qos).wait().expect("subscribe");
    finished.recv().expect("all pushes");
    std::process::exit(0);
}

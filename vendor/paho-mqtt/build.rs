// sensoro-sub patch (vendor/paho-mqtt.patch): tell dependents that this wrapper has
// `Message::topic_bytes()` and `Error::UnknownConnectReturn`; a stock paho-mqtt says nothing.
fn main() {
    println!("cargo:topic_bytes=1");
}

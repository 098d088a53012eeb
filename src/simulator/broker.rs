//! The stand-in broker: rmqtt, embedded, with the SENSORO service's rules as hooks
//! (docs/service.md, "Connection"): username = AppID, password = AppSecret, clientId `^APPID(/[-_0-9a-zA-Z]{0,36})?$`,
//! else CONNACK 5; only `users/APPID/devices` may be subscribed, else SUBACK 0x80. Optionally a
//! 3.1-era broker: an MQTT 3.1.1 CONNECT is refused with CONNACK 1.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use rmqtt::codec::v5::{PublishProperties, SubscribeAckReason};
use rmqtt::context::ServerContext;
use rmqtt::hook::{Handler, HookResult, Parameter, ReturnType, Type};
use rmqtt::net::Builder;
use rmqtt::server::MqttServer;
use rmqtt::session::SessionState;
use rmqtt::types::{AuthResult, CodecPublish, From as Origin, Id, Publish, QoS, SubscribeAclResult};
use rmqtt::utils::timestamp_millis;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::service;
use crate::status::Status;

/// AppID → AppSecret of the accounts the stand-in serves.
pub type Accounts = HashMap<String, String>;

/// Durable sessions keep this many pushes while their client is away (rmqtt's default is 1000).
const MAX_QUEUED: usize = 1_000_000;
/// How long a durable session and its queued pushes are kept.
const SESSION_EXPIRY: Duration = Duration::from_secs(24 * 3600);

/// Which MQTT versions the stand-in accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Versions {
    /// 3.1, 3.1.1 and 5, as today's brokers do.
    All,
    /// 3.1 only: any other CONNECT gets CONNACK 1, as from a 3.1-era broker.
    Only31,
}

/// The protocol level of MQTT 3.1 in a CONNECT.
const MQTT_LEVEL_31: u8 = 3;
/// CONNACK "unacceptable protocol version".
const CONNACK_BAD_VERSION: [u8; 4] = [0x20, 0x02, 0x00, 0x01];
/// Longest CONNECT a 3.1-only front reads before it decides.
const MAX_CONNECT: usize = 64 * 1024;

struct Authenticate {
    accounts: Arc<Accounts>,
    status: Status,
}

#[async_trait]
impl Handler for Authenticate {
    async fn hook(&self, param: &Parameter, acc: Option<HookResult>) -> ReturnType {
        let Parameter::ClientAuthenticate(connect) = param else { return (true, acc) };
        let client_id: &str = connect.client_id();
        let user = connect.username().map(|u| u.to_string());
        let allowed = user.as_deref().is_some_and(|app_id| {
            self.accounts.get(app_id).is_some_and(|secret| {
                connect.password().is_some_and(|p| p.as_ref() == secret.as_bytes())
                    && service::check_client_id(app_id, client_id).is_ok()
            })
        });
        let verdict = if allowed { "accepted" } else { "refused (CONNACK 5)" };
        self.status.detail(format_args!("login {client_id} as {}: {verdict}", user.as_deref().unwrap_or("-")));
        let result = if allowed { AuthResult::Allow(false, None) } else { AuthResult::NotAuthorized };
        (false, Some(HookResult::AuthResult(result)))
    }
}

struct SubscribeAcl {
    status: Status,
}

#[async_trait]
impl Handler for SubscribeAcl {
    async fn hook(&self, param: &Parameter, acc: Option<HookResult>) -> ReturnType {
        let Parameter::ClientSubscribeCheckAcl(session, subscribe) = param else { return (true, acc) };
        let own_topic = session.id.username.as_deref().map(service::default_topic);
        let allowed = own_topic.as_deref() == Some(&*subscribe.topic_filter) && subscribe.opts.shared_group().is_none();
        let verdict = if allowed { "granted" } else { "denied (SUBACK 0x80)" };
        self.status.detail(format_args!("subscribe {} to {}: {verdict}", session.id.client_id, subscribe.topic_filter));
        let result = if allowed {
            SubscribeAclResult::new_success(subscribe.opts.qos(), None)
        } else {
            SubscribeAclResult::new_failure(SubscribeAckReason::NotAuthorized)
        };
        (false, Some(HookResult::SubscribeAclResult(result)))
    }
}

/// A running stand-in: where it listens, and a handle to publish through.
pub struct Broker {
    pub address: SocketAddr,
    context: ServerContext,
}

/// Binds `listen` (port 0 picks a free port) and starts serving in the background of the current
/// tokio runtime. Binding fails normally (address in use) instead of ending the process.
pub async fn start(
    listen: SocketAddr,
    accounts: Accounts,
    versions: Versions,
    status: Status,
) -> anyhow::Result<Broker> {
    // rmqtt refuses logins when the machine looks busy; a test stand-in on a loaded laptop must not.
    let context = ServerContext::new().busy_check_enable(false).build().await;
    let register = context.extends.hook_mgr().register();
    let accounts = Arc::new(accounts);
    register.add(Type::ClientAuthenticate, Box::new(Authenticate { accounts, status })).await;
    register.add(Type::ClientSubscribeCheckAcl, Box::new(SubscribeAcl { status })).await;
    register.start().await;

    // A 3.1-only stand-in: rmqtt (which speaks every version) behind a front that answers any
    // CONNECT but 3.1's with CONNACK 1 itself; rmqtt's hooks cannot set that code.
    let (front, listen) = match versions {
        Versions::All => (None, listen),
        Versions::Only31 => {
            let front =
                TcpListener::bind(listen).await.map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
            (Some(front), SocketAddr::from(([127, 0, 0, 1], 0)))
        }
    };
    let listener = Builder::new()
        .name("sensoro")
        .laddr(listen)
        .allow_anonymous(false)
        .max_mqueue_len(MAX_QUEUED)
        .session_expiry_interval(SESSION_EXPIRY)
        .message_expiry_interval(SESSION_EXPIRY)
        .max_qos_allowed(QoS::AtLeastOnce)
        .bind()
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
    let address = listener.local_addr().map_err(|e| anyhow::anyhow!("cannot read the bound address: {e}"))?;
    let listener = listener.tcp().map_err(|e| anyhow::anyhow!("cannot start the listener on {listen}: {e}"))?;
    let server = MqttServer::new(context.clone()).listener(listener).build();
    tokio::spawn(server.run());
    let address = match front {
        None => address,
        Some(front) => {
            let public = front.local_addr().map_err(|e| anyhow::anyhow!("cannot read the bound address: {e}"))?;
            tokio::spawn(serve_only_31(front, address, status));
            public
        }
    };
    Ok(Broker { address, context })
}

/// Accepts connections for a 3.1-only stand-in: a 3.1 CONNECT goes on to rmqtt at `inner`, any
/// other is answered with CONNACK 1 and closed.
async fn serve_only_31(front: TcpListener, inner: SocketAddr, status: Status) {
    while let Ok((client, _)) = front.accept().await {
        tokio::spawn(async move {
            if let Err(e) = front_one(client, inner, status).await {
                status.detail(format_args!("3.1-only front: {e}"));
            }
        });
    }
}

async fn front_one(mut client: TcpStream, inner: SocketAddr, status: Status) -> std::io::Result<()> {
    let connect = read_packet(&mut client).await?;
    // CONNECT: type byte, remaining length, protocol name (2-byte length + text), protocol level.
    let header = 1 + connect[1..].iter().position(|b| b & 0x80 == 0).map_or(1, |i| i + 1);
    let name_len = connect.get(header..header + 2).map_or(0, |b| usize::from(u16::from_be_bytes([b[0], b[1]])));
    let level = connect.get(header + 2 + name_len).copied();
    if connect[0] >> 4 != 1 || level != Some(MQTT_LEVEL_31) {
        status.detail(format_args!("login refused: protocol level {level:?} (CONNACK 1, 3.1 only)"));
        client.write_all(&CONNACK_BAD_VERSION).await?;
        return client.shutdown().await;
    }
    let mut broker = TcpStream::connect(inner).await?;
    broker.write_all(&connect).await?;
    tokio::io::copy_bidirectional(&mut client, &mut broker).await.map(|_| ())
}

/// One whole MQTT packet: type byte, remaining length (1–4 bytes), the rest.
async fn read_packet(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut packet = vec![stream.read_u8().await?];
    let mut remaining = 0usize;
    for shift in [0, 7, 14, 21] {
        let byte = stream.read_u8().await?;
        packet.push(byte);
        remaining |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            break;
        }
    }
    if remaining > MAX_CONNECT {
        return Err(std::io::Error::other("CONNECT too long"));
    }
    let start = packet.len();
    packet.resize(start + remaining, 0);
    stream.read_exact(&mut packet[start..]).await?;
    Ok(packet)
}

impl Broker {
    /// Publishes a push to `users/APPID/devices` at QoS 1 from inside the process, as the service does.
    pub async fn publish(&self, app_id: &str, payload: String) -> anyhow::Result<()> {
        let origin = Origin::from_system(Id::new(
            self.context.node.id(),
            self.address.port(),
            None,
            None,
            "sensoro-cloud".into(),
            Some(app_id.into()),
        ));
        let now = timestamp_millis();
        let publish = Publish::from(CodecPublish {
            dup: false,
            retain: false,
            qos: QoS::AtLeastOnce,
            topic: service::default_topic(app_id).into(),
            packet_id: None,
            payload: payload.into(),
            properties: Some(PublishProperties::default()),
        })
        .create_time(now);
        SessionState::forwards(&self.context, origin, publish, false, None)
            .await
            .map_err(|e| anyhow::anyhow!("cannot forward a push: {e}"))
    }
}

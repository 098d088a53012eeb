//! The stand-in broker: rmqtt, embedded, with the SENSORO service's rules as hooks
//! (SPEC.md): username = AppID, password = AppSecret, clientId `^APPID(/[-_0-9a-zA-Z]{0,36})?$`,
//! else CONNACK 5; only `users/APPID/devices` may be subscribed, else SUBACK 0x80.

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

use crate::service;
use crate::status::Status;

/// AppID → AppSecret of the accounts the stand-in serves.
pub type Accounts = HashMap<String, String>;

/// Durable sessions keep this many pushes while their client is away (rmqtt's default is 1000).
const MAX_QUEUED: usize = 1_000_000;
/// How long a durable session and its queued pushes are kept.
const SESSION_EXPIRY: Duration = Duration::from_secs(24 * 3600);

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
pub async fn start(listen: SocketAddr, accounts: Accounts, status: Status) -> anyhow::Result<Broker> {
    // rmqtt refuses logins when the machine looks busy; a test stand-in on a loaded laptop must not.
    let context = ServerContext::new().busy_check_enable(false).build().await;
    let register = context.extends.hook_mgr().register();
    let accounts = Arc::new(accounts);
    register.add(Type::ClientAuthenticate, Box::new(Authenticate { accounts, status })).await;
    register.add(Type::ClientSubscribeCheckAcl, Box::new(SubscribeAcl { status })).await;
    register.start().await;

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
    Ok(Broker { address, context })
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

//! `sensoro-sub decode`'s settings: pushes from a file or stdin, printed as a run would print them.

use crate::cli::DecodeArgs;
use crate::exit::Failure;
use crate::pipeline::alarm::AlarmConfig;
use crate::pipeline::output::OutputConfig;
use crate::pipeline::push::Filter;
use crate::pipeline::safe_mode::SafeMode;
use crate::service;
use crate::status::StatusConfig;

use super::account::parse_app_key;
use super::output::{alarm_config, output_config, status_config};
use super::{Terminal, advice};

/// Settings of `sensoro-sub decode`.
#[derive(Debug)]
pub struct DecodeConfig {
    /// None: stdin.
    pub input: Option<std::path::PathBuf>,
    pub output: OutputConfig,
    pub filter: Filter,
    pub safe_mode: SafeMode,
    pub count: Option<u64>,
    pub status: StatusConfig,
    pub alarms: AlarmConfig,
}

impl DecodeConfig {
    pub fn resolve(args: DecodeArgs, terminal: Terminal) -> Result<DecodeConfig, Failure> {
        let app_id = args.app_id.map(|id| id.trim().to_owned()).filter(|id| !id.is_empty());
        if let Some(app_id) = &app_id {
            service::check_app_id(app_id).map_err(advice::app_id)?;
        }
        Ok(DecodeConfig {
            alarms: alarm_config(&args.alarms, None)?,
            input: args.file.filter(|path| path.as_os_str() != "-"),
            output: output_config(&args.output, false, terminal),
            filter: Filter::new(args.filter.sn, args.filter.device_type),
            safe_mode: SafeMode::new(
                app_id,
                args.safe_mode.app_key.as_deref().filter(|k| !k.trim().is_empty()).map(parse_app_key).transpose()?,
            ),
            count: args.count,
            status: status_config(&args.output, terminal),
        })
    }
}

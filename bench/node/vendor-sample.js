// The vendor's Node.js sample (shared/reference/sensoro-mqtt-service.txt), for benchmarks only: the
// same MQTT.js client, options, subscription and `console.log(message.toString())` per push. The
// changes: broker address and credentials come from the environment (BENCH_*), the SUBSCRIBE line
// goes to stderr so stdout holds pushes only, BENCH_CLEAN=0 and BENCH_CLIENT_SUFFIX make a durable
// session for the drain scenarios, and it exits after BENCH_COUNT pushes (0: never).
var mqtt = require('mqtt');
var crypto = require('crypto');
var env = process.env;
var clientOption = {
  username: env.BENCH_APP_ID,
  password: env.BENCH_APP_SECRET,
  clientId: env.BENCH_APP_ID + '/' + (env.BENCH_CLIENT_SUFFIX || crypto.randomUUID()),
  reconnectPeriod: '10000',
  clean: env.BENCH_CLEAN !== '0',
};
var count = Number(env.BENCH_COUNT || 0);
var seen = 0;
var client = mqtt.connect('mqtt://' + env.BENCH_HOST + ':' + env.BENCH_PORT, clientOption);
client.on('connect', function () {
  console.error('SUBSCRIBE users/' + clientOption.username + '/devices');
  client.subscribe('users/' + clientOption.username + '/devices', { qos: Number(env.BENCH_QOS || 1) });
});
client.on('message', function (topic, message) {
  // message is Buffer
  console.log(message.toString());
  if (count && ++seen >= count) {
    // Not process.exit(): console.log to a full pipe is queued, and exit would drop the queue.
    client.end();
  }
});

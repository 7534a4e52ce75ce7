namespace EvGateway.Vehicles;

/// <summary>
/// How charge control may treat one maker's cars. The quota is per account, so cars of one maker share
/// <see cref="MinPollInterval"/>; a car that can be woken is woken when its own data is older than the limit that fits
/// how fast it charges, since a decision on old data could miss the threshold.
/// </summary>
/// <param name="MinPollInterval">The shortest interval between two reads of one car.</param>
/// <param name="WakeWhenDataOlderThan">Data older than this makes a plugged car worth waking.</param>
/// <param name="WakeWhenDataOlderThanWhileFastCharging">The same while fast charging, when the level moves quicker.</param>
public sealed record ChargeWatchRules(TimeSpan MinPollInterval, TimeSpan WakeWhenDataOlderThan, TimeSpan WakeWhenDataOlderThanWhileFastCharging);

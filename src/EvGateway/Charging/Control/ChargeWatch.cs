using EvGateway.Charging;

namespace EvGateway.Charging.Control;

/// <summary>
/// What charge control knows about one car between passes, changed only through its named transitions so each pass
/// reads as a sequence of events: restarted, woke up, stop sent, stop confirmed, gave up, charge ended, stop time passed.
/// </summary>
internal sealed class ChargeWatch
{
    private DateTimeOffset lastWakeUp = DateTimeOffset.MinValue;
    private DateTimeOffset delayedStartMovedAt = DateTimeOffset.MinValue;

    /// <summary>The setting being enforced (without its last error); null until the first restart.</summary>
    public ChargeControlSetting? Setting { get; private set; }

    public ChargeWatchPhase Phase { get; private set; }

    public DateTimeOffset NextCheck { get; private set; }

    /// <summary>The next instant the daily stop time falls on; null without a stop time.</summary>
    public DateTimeOffset? NextStopAt { get; private set; }

    /// <summary>Stops sent for the current stop, while <see cref="Phase"/> is Stopping.</summary>
    public int StopAttempts { get; private set; }

    public string? StopReason { get; private set; }

    /// <summary>The adapter serving the car, once checked (cars of one maker share its poll floor).</summary>
    public string? Maker { get; private set; }

    /// <summary>When the car, charging, first reported a level at its threshold (see <see cref="ChargeDecisions.CheckThreshold"/>).</summary>
    public DateTimeOffset? AtThresholdSince { get; private set; }

    /// <summary>A new or changed setting: everything about the previous one is forgotten and the car is checked at once.</summary>
    public void Restart(ChargeControlSetting setting, DateTimeOffset now, TimeZoneInfo zone)
    {
        Setting = setting;
        Phase = ChargeWatchPhase.Watching;
        NextCheck = now;
        NextStopAt = setting.StopAt is { } at ? LocalTime.NextOccurrence(now, at, zone) : null;
        StopAttempts = 0;
        AtThresholdSince = null;
    }

    public void ServedBy(string maker) => Maker = maker;

    public void CheckAt(DateTimeOffset at) => NextCheck = at;

    public bool MayWakeUp(DateTimeOffset now, TimeSpan spacing) => now - lastWakeUp >= spacing;

    public void WokeUp(DateTimeOffset now) => lastWakeUp = now;

    /// <summary>Keeps when the car first reported its threshold while charging; forgets it once the car is below or not charging.</summary>
    public void LevelSeen(bool chargingAtThreshold, DateTimeOffset reportedAt) =>
        AtThresholdSince = chargingAtThreshold ? AtThresholdSince ?? reportedAt : null;

    /// <summary>The car is not charging: a charge it would not stop is over, so the next one may be stopped again.</summary>
    public void ChargeEnded()
    {
        if (Phase == ChargeWatchPhase.GaveUp)
        {
            Phase = ChargeWatchPhase.Watching;
        }
    }

    public bool MayStop => Phase == ChargeWatchPhase.Watching;

    public void StopSent(string reason)
    {
        Phase = ChargeWatchPhase.Stopping;
        StopAttempts++;
        StopReason = reason;
    }

    public void StopConfirmed()
    {
        Phase = ChargeWatchPhase.Watching;
        StopAttempts = 0;
    }

    public void GiveUp()
    {
        Phase = ChargeWatchPhase.GaveUp;
        StopAttempts = 0;
    }

    /// <summary>Today's stop time has passed: the next one is tomorrow's.</summary>
    public void StopTimePassed(DateTimeOffset now, TimeZoneInfo zone) =>
        NextStopAt = LocalTime.NextOccurrence(now + TimeSpan.FromMinutes(1), Setting!.StopAt!.Value, zone);

    public bool MayMoveDelayedStart(DateTimeOffset now, TimeSpan lookAhead) => now - delayedStartMovedAt >= lookAhead;

    public void DelayedStartMoved(DateTimeOffset now) => delayedStartMovedAt = now;
}

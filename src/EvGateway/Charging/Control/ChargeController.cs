using System.Collections.Concurrent;
using EvGateway.Charging;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Budget;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Control;

/// <summary>
/// Watches every car with a charge-control setting and stops its charge at the threshold or the daily stop time.
/// One pass checks the cars that are due and says when the next one is; the loop sleeps on the TimeProvider until
/// then or until a setting changes. Stops are verified by reading the car again and resent at most twice; a car
/// that still charges gets `lastError`. Nothing that goes wrong for one car or in one pass stops the loop.
/// </summary>
public sealed class ChargeController(
    VehicleDirectory directory,
    VehicleStatusCache cache,
    VehicleCommands commands,
    ChargeControlStore store,
    IEnumerable<IDelayedChargeStart> delayedStarts,
    TimeProvider time,
    IOptions<ChargingOptions> options,
    ILogger<ChargeController> logger) : BackgroundService
{
    /// <summary>The stop command plus at most two retries.</summary>
    public const int MaxStopAttempts = 3;

    private static readonly TimeSpan WakeUpSpacing = TimeSpan.FromMinutes(5);

    // A car that does not report its moved delayed start at once is not told again within the window that triggered it.
    private static readonly TimeSpan DelayedStartLookAhead = TimeSpan.FromMinutes(30);
    private readonly ConcurrentDictionary<string, ChargeWatch> watches = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeZoneInfo zone = options.Value.ResolveTimeZone();
    private readonly TimeSpan normalPoll = TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
    private readonly TimeSpan verifyDelay = TimeSpan.FromSeconds(options.Value.StopVerifyDelaySeconds);
    private volatile TaskCompletionSource settingChanged = NewSignal();

    /// <summary>Raised after each pass with the time until the next, once that wake-up is armed (lets tests step simulated time).</summary>
    internal event Action<TimeSpan>? PassCompleted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.Changed += OnSettingChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = normalPoll;
                try
                {
                    wait = await RunDueChecksAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception failure)
                {
                    logger.LogError(failure, "A charge-control pass failed; the next one runs in {Wait}", wait);
                }

                await SleepAsync(wait, stoppingToken);
            }
        }
        finally
        {
            store.Changed -= OnSettingChanged;
        }
    }

    /// <summary>Checks every car that is due and returns how long until the next one is.</summary>
    internal async Task<TimeSpan> RunDueChecksAsync(CancellationToken cancellationToken)
    {
        // Its reads spend the call budget after a person's; its stop commands go at command priority (VehicleCommands).
        using var intent = CallIntent.Enter(new CallIntent(CallPriority.ChargeControl, ByPerson: false));
        var active = store.Active();
        foreach (var gone in watches.Keys.Where(vin => !active.ContainsKey(vin)))
        {
            watches.TryRemove(gone, out _);
        }

        var now = time.GetUtcNow();
        foreach (var (vin, setting) in active)
        {
            var watch = watches.GetOrAdd(vin, _ => new ChargeWatch());
            if (watch.Setting != (setting with { LastError = null }))
            {
                watch.Restart(setting with { LastError = null }, now, zone);
            }

            if (watch.NextCheck > now)
            {
                continue;
            }

            try
            {
                await CheckAsync(vin, setting, watch, now, cancellationToken);
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                watch.CheckAt(now + normalPoll);
                LogCheckFailure(vin, failure);
            }
        }

        var next = watches.Values.Select(w => w.NextCheck).DefaultIfEmpty(now + normalPoll).Min() - time.GetUtcNow();
        return next > TimeSpan.Zero ? next : TimeSpan.Zero;
    }

    private async Task CheckAsync(string vin, ChargeControlSetting setting, ChargeWatch watch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entry = await directory.FindAsync(vin, cancellationToken);
        if (!entry.Vehicle.Has(VehicleCapability.ChargeStop))
        {
            // Its threshold is the car's own charge limit (IChargeLimit): the car stops by itself, nothing to watch.
            watch.CheckAt(now + normalPoll);
            return;
        }

        var rules = entry.Provider.ChargeWatch;
        watch.ServedBy(entry.Provider.Maker);
        // The quota is per account, not per car: cars of one maker share the floor.
        var sameMaker = watches.Values.Count(w => w.Maker == watch.Maker);
        var floor = rules.MinPollInterval * Math.Max(1, sameMaker);
        if (watch.Phase == ChargeWatchPhase.Stopping)
        {
            await VerifyStopAsync(entry, setting, watch, now, floor, cancellationToken);
            return;
        }

        var status = await cache.GetAsync(entry, floor / 2, cancellationToken);
        var wokeUp = false;
        if (entry.Vehicle.Has(VehicleCapability.WakeUp) && ChargeDecisions.NeedsWakeUp(status, rules, now) && watch.MayWakeUp(now, WakeUpSpacing))
        {
            watch.WokeUp(now);
            logger.LogInformation("Waking {Vin}: its data is from {UpdatedAt}", vin, status.UpdatedAt);
            try
            {
                await commands.SendAsync(vin, new VehicleCommand(VehicleCommandKind.WakeUp), cancellationToken);
                wokeUp = true;
                // A woken car pushes fresh data (the cache takes it in); use it if it is already there.
                status = cache.Peek(vin) ?? status;
            }
            catch (GatewayException refused) when (refused.Code == ErrorCodes.WakeUpLimit)
            {
                // The wake-up policy protects the 12 V battery; the check goes on with what is known (a stop time still stops).
                logger.LogInformation("Not waking {Vin}: {Reason}", vin, refused.Message);
            }
        }

        var stopTimeReached = watch.NextStopAt is { } stopAt && stopAt <= now;
        var charging = ChargeDecisions.IsCharging(status);
        watch.LevelSeen(charging && status.BatteryLevel >= setting.PercentageThreshold, status.UpdatedAt ?? now);
        var threshold = ChargeDecisions.CheckThreshold(status, setting, watch.AtThresholdSince, entry.Vehicle.BatteryCapacityKwh,
            options.Value.DefaultChargePowerKw, now);
        if (!charging)
        {
            watch.ChargeEnded();
            await ClearLastErrorAsync(vin, setting, cancellationToken);
            await KeepDelayedStartAwayAsync(entry, watch, status, setting, now, cancellationToken);
        }
        else if (watch.MayStop && (threshold.Reached || stopTimeReached))
        {
            var reason = stopTimeReached ? $"stop time {setting.StopAt:HH:mm}" : $"level {status.BatteryLevel:0.#} % ≥ {setting.PercentageThreshold} %";
            await SendStopAsync(entry, watch, reason, cancellationToken);
            watch.CheckAt(now + Max(verifyDelay, floor));
        }

        if (stopTimeReached)
        {
            watch.StopTimePassed(now, zone);
        }

        if (watch.Phase != ChargeWatchPhase.Stopping)
        {
            var delay = ChargeDecisions.NextPollDelay(status, setting, entry.Vehicle.BatteryCapacityKwh, normalPoll, floor);
            if (threshold.Wait is { } roundingWait && roundingWait < delay)
            {
                delay = Max(roundingWait, floor);
            }

            // After a wake-up the fresh data may still be on its way: look again soon.
            var next = now + (wokeUp ? floor : delay);
            watch.CheckAt(Min(next, watch.NextStopAt ?? DateTimeOffset.MaxValue));
        }
    }

    private async Task VerifyStopAsync(VehicleEntry entry, ChargeControlSetting setting, ChargeWatch watch, DateTimeOffset now, TimeSpan floor,
        CancellationToken cancellationToken)
    {
        var vin = entry.Vehicle.Vin;
        var status = await cache.GetAsync(entry, TimeSpan.Zero, cancellationToken);
        if (!ChargeDecisions.IsCharging(status))
        {
            logger.LogInformation("{Vin} stopped charging at {Level} % ({Reason})", vin, status.BatteryLevel, watch.StopReason);
            watch.StopConfirmed();
            watch.CheckAt(now + Max(normalPoll, floor));
            await ClearLastErrorAsync(vin, setting, cancellationToken);
            return;
        }

        if (watch.StopAttempts < MaxStopAttempts)
        {
            await SendStopAsync(entry, watch, watch.StopReason!, cancellationToken);
            watch.CheckAt(now + Max(verifyDelay, floor));
            return;
        }

        var error = $"Charging did not stop after {MaxStopAttempts} stop commands ({watch.StopReason}).";
        logger.LogWarning("{Vin}: {Error}", vin, error);
        watch.GiveUp();
        watch.CheckAt(now + Max(normalPoll, floor));
        await store.UpdateAsync(vin, current => current with { LastError = error }, cancellationToken);
    }

    private async Task SendStopAsync(VehicleEntry entry, ChargeWatch watch, string reason, CancellationToken cancellationToken)
    {
        watch.StopSent(reason);
        logger.LogInformation("Stopping the charge of {Vin} ({Reason}), attempt {Attempt}", entry.Vehicle.Vin, reason, watch.StopAttempts);
        await commands.SendAsync(entry.Vehicle.Vin, new VehicleCommand(VehicleCommandKind.ChargeStop), cancellationToken);
    }

    private async Task KeepDelayedStartAwayAsync(VehicleEntry entry, ChargeWatch watch, VehicleStatus status, ChargeControlSetting setting,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var localNow = TimeOnly.FromDateTime(LocalTime.InZone(now, zone).DateTime);
        if (!delayedStarts.Any(port => port.Supports(entry.Vehicle)) || !ChargeDecisions.DelayedStartIsImminent(status, setting, localNow)
            || !watch.MayMoveDelayedStart(now, DelayedStartLookAhead))
        {
            return;
        }

        watch.DelayedStartMoved(now);
        // The furthest the car's next-24-hours delayed start can be: just behind the current time.
        var awayAt = new TimeOnly(localNow.Hour, localNow.Minute).AddMinutes(-1);
        logger.LogInformation("{Vin} is above its threshold; moving its delayed charge start to {At}", entry.Vehicle.Vin, awayAt);
        await commands.SendAsync(entry.Vehicle.Vin, new VehicleCommand(VehicleCommandKind.SetDelayedChargeStart) { At = awayAt },
            cancellationToken);
    }

    private async Task ClearLastErrorAsync(string vin, ChargeControlSetting setting, CancellationToken cancellationToken)
    {
        if (setting.LastError is not null)
        {
            await store.UpdateAsync(vin, current => current with { LastError = null }, cancellationToken);
        }
    }

    private void LogCheckFailure(string vin, Exception failure)
    {
        if (failure is GatewayException gateway)
        {
            logger.LogWarning("Charge control could not check {Vin}: {Code} {Reason}", vin, gateway.Code, gateway.Message);
        }
        else
        {
            logger.LogError(failure, "Charge control failed to check {Vin}", vin);
        }
    }

    private async Task SleepAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        var changed = settingChanged.Task;
        using var sleeping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(wait, time, sleeping.Token);
        PassCompleted?.Invoke(wait);
        await Task.WhenAny(timer, changed);
        await sleeping.CancelAsync();
        if (changed.IsCompleted)
        {
            settingChanged = NewSignal();
        }
    }

    private void OnSettingChanged(string vin) => settingChanged.TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

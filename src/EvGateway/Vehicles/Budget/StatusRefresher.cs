namespace EvGateway.Vehicles.Budget;

/// <summary>
/// Keeps every car's cached status as fresh as its refresh policy asks, at background priority: a car is read when
/// its <see cref="RefreshPolicies.NextRefreshAt"/> has come, then the loop sleeps until the next car is due. A read the
/// budget puts off is served stale and tried again at the next pass; nothing that fails for one car or in one pass
/// stops the loop.
/// </summary>
public sealed class StatusRefresher(VehicleDirectory directory, VehicleStatusCache cache, RefreshPolicies policies, TimeProvider time,
    ILogger<StatusRefresher> logger) : BackgroundService
{
    // The shortest sleep: a car the budget put off is not asked again at once, and a broken pass does not spin.
    private static readonly TimeSpan MinimumPause = TimeSpan.FromMinutes(1);

    // The longest sleep: a car added or a policy changed is picked up within it.
    private static readonly TimeSpan MaximumPause = TimeSpan.FromMinutes(15);

    private static readonly CallIntent Background = new(CallPriority.Background, ByPerson: false);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var pause = MaximumPause;
            try
            {
                pause = await RefreshDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                logger.LogWarning(failure, "A background refresh pass failed; the next one runs in {Pause}", pause);
            }

            await Task.Delay(pause, time, stoppingToken);
        }
    }

    /// <summary>Reads every car that is due and returns how long until the next one is.</summary>
    internal async Task<TimeSpan> RefreshDueAsync(CancellationToken cancellationToken)
    {
        var next = time.GetUtcNow() + MaximumPause;
        using var background = CallIntent.Enter(Background);
        foreach (var vehicle in await directory.GetVehiclesAsync(cancellationToken))
        {
            var vin = vehicle.Vin;
            if (!vehicle.IsElectric && !vehicle.Has(VehicleCapability.Odometer))
            {
                continue;
            }

            if (policies.NextRefreshAt(vin, cache.Peek(vin)) is not { } due)
            {
                continue;
            }

            if (due <= time.GetUtcNow() && directory.TryFindCached(vin) is { } entry)
            {
                try
                {
                    await cache.GetAsync(entry, TimeSpan.Zero, cancellationToken);
                }
                catch (GatewayException failure)
                {
                    logger.LogInformation("Background refresh of {Vin} put off: {Reason}", vin, failure.Code);
                }

                due = policies.NextRefreshAt(vin, cache.Peek(vin)) ?? next;
            }

            next = due < next ? due : next;
        }

        var pause = next - time.GetUtcNow();
        return pause < MinimumPause ? MinimumPause : pause;
    }
}

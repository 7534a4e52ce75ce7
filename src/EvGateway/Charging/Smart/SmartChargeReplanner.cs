using System.Collections.Concurrent;
using System.Text.Json;
using EvGateway.Charging.Tariff;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Smart;

/// <summary>
/// Day-ahead prices for tomorrow appear around 16:00 UK time. While a goal is active and its car has not started
/// charging, a plan made on yesterday's prices may no longer be the cheapest: when the feed reaches further than it
/// did at planning time, the goal is planned and applied again.
/// </summary>
public sealed class SmartChargeReplanner(
    SmartChargeGoals goals,
    SmartChargeService smartCharge,
    TariffClient tariff,
    VehicleStatusCache cache,
    TimeProvider time,
    IOptions<TariffOptions> options,
    ILogger<SmartChargeReplanner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsConfigured)
        {
            return;
        }

        var interval = TimeSpan.FromMinutes(options.Value.RefreshMinutes);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
                await ReplanAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                logger.LogError(failure, "Re-planning smart-charge goals failed; trying again in {Interval}", interval);
            }
        }
    }

    /// <summary>One look at every goal: drop the finished ones, re-apply those the new prices may improve.</summary>
    internal async Task ReplanAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var goal in goals.All())
        {
            if (goal.ReadyBy <= now)
            {
                await goals.RemoveAsync(goal, cancellationToken);
                continue;
            }

            var prices = await tariff.GetPricesAsync(cancellationToken);
            var reach = prices.Count > 0 ? prices[^1].End : goal.PricesUntil;
            if (reach <= goal.PricesUntil || cache.Peek(goal.Vin)?.ChargeState == ChargeState.Charging)
            {
                continue;
            }

            try
            {
                logger.LogInformation("New prices up to {Reach}: re-planning the smart charge of {Vin}", reach, goal.Vin);
                await smartCharge.ApplyAsync(goal.Vin, goal.TargetPercent, goal.ReadyBy, goal.MaxPrice, cancellationToken);
            }
            catch (GatewayException failure)
            {
                logger.LogWarning("Could not re-plan the smart charge of {Vin}: {Code} {Reason}", goal.Vin, failure.Code, failure.Message);
            }
        }
    }
}

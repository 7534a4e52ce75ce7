using System.Collections.Concurrent;
using System.Text.Json;
using EvGateway.Charging.Tariff;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging;

/// <summary>A smart-charge goal being worked towards, and how far the prices it was planned with reached.</summary>
public sealed record SmartChargeGoal(string Vin, int TargetPercent, DateTimeOffset ReadyBy, double? MaxPrice, DateTimeOffset PricesUntil);

/// <summary>
/// The active goals; a goal ends at its ready-by time or when a new one replaces it. They are kept in
/// <c>{DataDirectory}/smart-charge-goals.json</c> (written atomically), so a restart keeps re-planning them.
/// </summary>
public sealed class SmartChargeGoals
{
    public const string FileName = "smart-charge-goals.json";
    private readonly ConcurrentDictionary<string, SmartChargeGoal> goals = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly string path;

    public SmartChargeGoals(IOptions<GatewayOptions> gateway, ILogger<SmartChargeGoals> logger)
    {
        path = Path.Combine(gateway.Value.DataDirectory, FileName);
        try
        {
            if (File.Exists(path))
            {
                foreach (var goal in JsonSerializer.Deserialize<SmartChargeGoal[]>(File.ReadAllText(path)) ?? [])
                {
                    goals[goal.Vin] = goal;
                }
            }
        }
        catch (Exception failure) when (failure is JsonException or IOException)
        {
            logger.LogWarning("Could not read the smart-charge goals in {Path} ({Reason}); starting without them", path, failure.Message);
        }
    }

    public Task SetAsync(SmartChargeGoal goal, CancellationToken cancellationToken)
    {
        goals[goal.Vin] = goal;
        return SaveAsync(cancellationToken);
    }

    public IReadOnlyList<SmartChargeGoal> All() => goals.Values.ToList();

    public Task RemoveAsync(SmartChargeGoal goal, CancellationToken cancellationToken) =>
        goals.TryRemove(KeyValuePair.Create(goal.Vin, goal)) ? SaveAsync(cancellationToken) : Task.CompletedTask;

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            await AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(All()), cancellationToken);
        }
        finally
        {
            writing.Release();
        }
    }
}

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

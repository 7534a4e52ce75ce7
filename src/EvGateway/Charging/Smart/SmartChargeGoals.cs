using System.Collections.Concurrent;
using System.Text.Json;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Smart;

/// <summary>
/// The active goals; a goal ends at its ready-by time or when a new one replaces it. They are kept in
/// <c>{DataDirectory}/smart-charge-goals.json</c> (written atomically), so a restart keeps re-planning them.
/// </summary>
public sealed class SmartChargeGoals
{
    public const string FileName = "smart-charge-goals.json";
    private readonly ConcurrentDictionary<string, SmartChargeGoal> goals = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly SettingsFile<SmartChargeGoal[]> file;

    public SmartChargeGoals(IOptions<GatewayOptions> gateway, TimeProvider time, ILogger<SmartChargeGoals> logger)
    {
        file = new(Path.Combine(gateway.Value.DataDirectory, FileName), JsonSerializerOptions.Default, "smart charging starts with no goal",
            time, logger);
        foreach (var goal in file.Load() ?? [])
        {
            goals[goal.Vin] = goal;
        }
    }

    public Task SetAsync(SmartChargeGoal goal, CancellationToken cancellationToken)
    {
        goals[goal.Vin] = goal;
        return SaveAsync(cancellationToken);
    }

    public IReadOnlyList<SmartChargeGoal> All() => goals.Values.ToList();

    /// <summary>The car's active goal, or null.</summary>
    public SmartChargeGoal? Find(string vin) => goals.GetValueOrDefault(vin);

    public Task RemoveAsync(SmartChargeGoal goal, CancellationToken cancellationToken) =>
        goals.TryRemove(KeyValuePair.Create(goal.Vin, goal)) ? SaveAsync(cancellationToken) : Task.CompletedTask;

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            await file.SaveAsync([.. goals.Values], cancellationToken);
        }
        finally
        {
            writing.Release();
        }
    }
}

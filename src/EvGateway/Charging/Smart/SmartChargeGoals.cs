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

    /// <summary>The car's active goal, or null.</summary>
    public SmartChargeGoal? Find(string vin) => goals.GetValueOrDefault(vin);

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

using EvGateway.Vehicles.Accounts;
using EvGateway.Vehicles.Budget;

namespace EvGateway.Accounts;

/// <summary>
/// Tells when an account's state changes (a login, a code asked for, a token refused, a cloud gone away), with the
/// account as <c>GET /api/accounts</c> lists it. An account's state is derived from several sources of its maker
/// (stored login, token health, pairing) that raise nothing in common, so the statuses are compared every
/// <see cref="Interval"/>: reading them is in memory and never asks a cloud.
/// </summary>
public sealed class AccountChanges(IEnumerable<IMakerAccount> accounts, CallBudgets budgets, TimeProvider time, ILogger<AccountChanges> logger)
    : BackgroundService
{
    /// <summary>How often the statuses are compared: soon enough for a page waiting on a login.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly IMakerAccount[] accounts = accounts.ToArray();
    private Dictionary<string, AccountStatus> last = [];

    /// <summary>
    /// Raised with the account's new status (with its call budget, as GET /api/accounts lists it) after its state,
    /// detail, login or pairing changed; the budget alone, which moves with every call, raises nothing.
    /// </summary>
    public event Action<AccountStatus>? Changed;

    /// <summary>Compares every account's status with the last one seen and raises <see cref="Changed"/> for each that differs.</summary>
    public void Check()
    {
        var now = accounts.ToDictionary(account => account.Maker, account => account.Status);
        var before = Interlocked.Exchange(ref last, now);
        foreach (var (maker, status) in now)
        {
            if (before.Count > 0 && (!before.TryGetValue(maker, out var previous) || previous != status))
            {
                Changed?.Invoke(budgets.WithBudget(status));
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    Check();
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    logger.LogWarning(failure, "Could not compare the account states");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}

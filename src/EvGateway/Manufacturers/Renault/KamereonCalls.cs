using System.Collections.Concurrent;
using EvGateway.Vehicles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace EvGateway.Manufacturers.Renault;

/// <summary>
/// The one door every Kamereon call goes through: it keeps the per-account quota cool-down (after a 429 nothing is sent
/// to that account until the cool-down ends, because every refused call still counts against the quota) and turns
/// Refit/HTTP failures into <see cref="GatewayException"/>s.
/// </summary>
internal sealed partial class KamereonCalls(TimeProvider time, IOptionsMonitor<RenaultOptions> options, ILogger<KamereonCalls> logger)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> coolDownUntil = new();

    /// <summary>Sends <paramref name="call"/> unless the quota of <paramref name="quotaKey"/> (a Kamereon account or person)
    /// is cooling down. <paramref name="vin"/> (empty for account-level calls) and <paramref name="what"/> only word the errors.</summary>
    public async Task<T> SendAsync<T>(string quotaKey, string vin, string what, Func<CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        ThrowIfCoolingDown(quotaKey);
        try
        {
            return await call(cancellationToken);
        }
        catch (ApiException e) when (KamereonErrors.IsQuotaExhausted(e))
        {
            var until = StartCoolDown(quotaKey, e.Headers.RetryAfter?.Delta);
            throw GatewayException.RateLimited(RenaultProvider.MakerName, until - time.GetUtcNow());
        }
        catch (ApiException e)
        {
            throw KamereonErrors.Translate(e, vin, what);
        }
        catch (Exception e) when (KamereonErrors.IsSendFailure(e, cancellationToken))
        {
            throw KamereonErrors.FromSendFailure(e, cancellationToken);
        }
    }

    private void ThrowIfCoolingDown(string quotaKey)
    {
        if (coolDownUntil.TryGetValue(quotaKey, out var until))
        {
            var remaining = until - time.GetUtcNow();
            if (remaining > TimeSpan.Zero)
            {
                throw GatewayException.RateLimited(RenaultProvider.MakerName, remaining);
            }

            coolDownUntil.TryRemove(KeyValuePair.Create(quotaKey, until));
        }
    }

    private DateTimeOffset StartCoolDown(string quotaKey, TimeSpan? retryAfter)
    {
        var coolDown = options.CurrentValue.QuotaCooldown;
        if (retryAfter > coolDown)
        {
            coolDown = retryAfter.Value;
        }

        var until = time.GetUtcNow() + coolDown;
        coolDownUntil[quotaKey] = until;
        LogCoolDown(quotaKey, until);
        return until;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renault quota exhausted for account {AccountId}; no calls to it until {Until:O}")]
    private partial void LogCoolDown(string accountId, DateTimeOffset until);
}

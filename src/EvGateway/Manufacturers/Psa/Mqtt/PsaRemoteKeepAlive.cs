using EvGateway.Vehicles;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvGateway.Manufacturers.Psa.Mqtt;

/// <summary>
/// Uses the remote refresh token at least every <see cref="KeepAliveAge"/>, even when no command is sent and the broker
/// session is down, because an unused one lapses (psa-remote-pairing.md §9: psa_car_controller wakes a car daily for
/// that). When PSA refuses it, the token provider takes a one-time password instead. A failed round is logged and the
/// next one comes all the same.
/// </summary>
internal sealed partial class PsaRemoteKeepAlive(
    PsaTokenProvider tokens,
    PsaRemoteTokenProvider remoteTokens,
    TimeProvider time,
    ILogger<PsaRemoteKeepAlive> logger) : BackgroundService
{
    /// <summary>A remote refresh token older than this is used at the next check: twice a day, well within its unknown lifetime.</summary>
    public static readonly TimeSpan KeepAliveAge = TimeSpan.FromHours(12);

    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await KeepAliveIfDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (GatewayException failure)
            {
                // The message is written for users and never carries a secret.
                LogFailed(logger, failure.Code, failure.Message);
            }
            catch (Exception failure)
            {
                LogBroken(logger, failure);
            }

            try
            {
                await Task.Delay(CheckInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task KeepAliveIfDueAsync(CancellationToken cancellationToken)
    {
        if (tokens.HasRefreshToken && remoteTokens.IsPaired && await remoteTokens.KeepAliveAsync(KeepAliveAge, cancellationToken))
        {
            LogKeptAlive(logger);
        }
    }

    [LoggerMessage(LogLevel.Information, "PSA remote refresh token used so that it does not lapse")]
    private static partial void LogKeptAlive(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Keeping the PSA remote-command token alive failed ({Code}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string code, string reason);

    [LoggerMessage(LogLevel.Error, "Keeping the PSA remote-command token alive failed unexpectedly; trying again at the next check")]
    private static partial void LogBroken(ILogger logger, Exception failure);
}

using EvGateway.Manufacturers.Psa.Mqtt;
using EvGateway.Vehicles;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvGateway.Manufacturers.Psa;

/// <summary>
/// Logs in at start so health reports the truth before the first request, and keeps the MQTT session up (while remote
/// commands are paired) so the cars' pushed events arrive even while nobody sends a command. An account connected or
/// paired later is picked up at the next check.
/// </summary>
internal sealed partial class PsaSessionService(
    PsaTokenProvider tokens,
    PsaProvider provider,
    TimeProvider time,
    ILogger<PsaSessionService> logger,
    PsaMqttConnection connection) : BackgroundService
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Until the owner connects an account there is nothing to check, and nothing worth a warning a minute.
                if (tokens.HasRefreshToken)
                {
                    await tokens.GetAccessTokenAsync(stoppingToken);
                    if (provider.RemoteCommandsAvailable)
                    {
                        await connection.EnsureConnectedAsync(stoppingToken);
                    }
                }
            }
            catch (GatewayException failure)
            {
                // The message is written for users and never carries a secret.
                LogSessionProblem(logger, failure.Code, failure.Message);
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

    [LoggerMessage(LogLevel.Warning, "PSA session check failed ({Code}): {Reason}")]
    private static partial void LogSessionProblem(ILogger logger, string code, string reason);
}

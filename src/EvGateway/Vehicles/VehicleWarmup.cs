namespace EvGateway.Vehicles;

/// <summary>
/// Logs in and lists the cars right after start, so /health/ready tells at once whether the credentials work and
/// the first script request does not pay for the login. Retries with a growing pause; a refused login is not
/// retried here (the adapters latch it so an account is never locked by a retry loop).
/// </summary>
public sealed class VehicleWarmup(VehicleDirectory directory, TimeProvider time, ILogger<VehicleWarmup> logger) : BackgroundService
{
    private static readonly TimeSpan[] Pauses = [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var vehicles = await directory.GetVehiclesAsync(stoppingToken);
                logger.LogInformation("Serving {Count} cars: {Vins}", vehicles.Count, string.Join(", ", vehicles.Select(v => $"{v.Brand} {v.Model} {v.Vin}")));
                return;
            }
            catch (GatewayException failure) when (failure.Code == ErrorCodes.InvalidCredentials)
            {
                logger.LogError("Login refused, not retrying: {Reason}", failure.Message);
                return;
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                var pause = Pauses[Math.Min(attempt, Pauses.Length - 1)];
                logger.LogWarning("Could not list the cars yet ({Reason}); trying again in {Pause}", failure.Message, pause);
                await Task.Delay(pause, time, stoppingToken);
            }
        }
    }
}

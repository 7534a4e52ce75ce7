using System.Collections.Concurrent;
using System.Text.Json;
using EvGateway.Vehicles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EvGateway.Manufacturers.Psa.Mqtt;

/// <summary>
/// The one MQTT session with the PSA broker: logged in with the OAuth access token (and logged in again whenever that
/// token changes), subscribed to this account's replies and to the cars' events, and matching each reply to the
/// request that carries the same correlation id.
/// </summary>
internal sealed partial class PsaMqttConnection : IAsyncDisposable
{
    private const string Username = "IMA_OAUTH_ACCESS_TOKEN";
    private const string EventTopicPrefix = "psa/RemoteServices/events/MPHRTServices/";

    private readonly MqttClientFactory factory = new();
    private readonly IMqttClient client;
    private readonly PsaOptions options;
    private readonly PsaAccount account;
    private readonly PsaTokenProvider tokens;
    private readonly TimeProvider time;
    private readonly ILogger<PsaMqttConnection> logger;
    private readonly SemaphoreSlim connectGate = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<PsaRemoteReply>> pending = new(StringComparer.Ordinal);
    private readonly string clientId = $"evgateway-{Guid.NewGuid():N}";
    private string? connectedWith;

    public PsaMqttConnection(IOptions<PsaOptions> options, PsaAccount account, PsaTokenProvider tokens, TimeProvider time,
        ILogger<PsaMqttConnection> logger)
    {
        this.time = time;
        this.options = options.Value;
        this.account = account;
        this.tokens = tokens;
        this.logger = logger;
        client = factory.CreateMqttClient();
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>A car pushed new data on its event topic.</summary>
    public event Action<PsaCarEvent>? CarEventReceived;

    public bool IsConnected => client.IsConnected;

    private string ReplyTopicFilter => $"psa/RemoteServices/to/cid/{account.FullCustomerId}/#";

    public async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        var accessToken = await tokens.GetAccessTokenAsync(cancellationToken);
        if (client.IsConnected && connectedWith == accessToken)
        {
            return;
        }

        await connectGate.WaitAsync(cancellationToken);
        try
        {
            if (client.IsConnected && connectedWith == accessToken)
            {
                return;
            }

            if (client.IsConnected)
            {
                // The broker authenticates with the access token at connect time only: a new token needs a new session.
                await client.DisconnectAsync(new MqttClientDisconnectOptions(), cancellationToken);
            }

            var connectOptions = new MqttClientOptionsBuilder()
                .WithTcpServer(options.Mqtt.Host, options.Mqtt.Port)
                .WithProtocolVersion(MqttProtocolVersion.V311)
                .WithClientId(clientId)
                .WithCredentials(Username, accessToken)
                .WithCleanSession()
                .WithTlsOptions(tls => tls.UseTls(options.Mqtt.UseTls))
                .Build();
            await client.ConnectAsync(connectOptions, cancellationToken);
            var subscription = factory.CreateSubscribeOptionsBuilder()
                .WithTopicFilter(ReplyTopicFilter, MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter($"{EventTopicPrefix}#", MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            await client.SubscribeAsync(subscription, cancellationToken);
            connectedWith = accessToken;
            LogConnected(logger, options.Mqtt.Host, options.Mqtt.Port);
        }
        catch (Exception exception) when (exception is MqttCommunicationException or InvalidOperationException
                                          || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw GatewayException.Unavailable(PsaProvider.MakerName, "the remote-command broker could not be reached", exception);
        }
        finally
        {
            connectGate.Release();
        }
    }

    /// <summary>Publishes <paramref name="request"/> and waits for the reply with its correlation id, at most <paramref name="timeout"/>.</summary>
    /// <returns>The reply, or null when none came in time.</returns>
    public async Task<PsaRemoteReply?> ExchangeAsync(string service, PsaRemoteRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<PsaRemoteReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[request.CorrelationId] = reply;
        // The deadline starts before connecting so that nothing below (connect, publish, the car) can make a command hang.
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await EnsureConnectedAsync(linked.Token);
            var message = new MqttApplicationMessageBuilder()
                .WithTopic($"psa/RemoteServices/from/cid/{account.FullCustomerId}{service}")
                .WithPayload(JsonSerializer.Serialize(request, PsaMqttJson.Options))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            await client.PublishAsync(message, linked.Token);
            LogPublished(logger, service, request.Vin, request.CorrelationId);
            return await reply.Task.WaitAsync(linked.Token);
        }
        catch (Exception exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                                          && exception is OperationCanceledException or GatewayException or MqttCommunicationException)
        {
            // Whatever was still pending when the deadline struck (the broker's ack, the car's reply) never came in time.
            LogNoReply(logger, service, request.Vin, request.CorrelationId);
            return null;
        }
        catch (MqttCommunicationException exception)
        {
            throw GatewayException.Unavailable(PsaProvider.MakerName, "the remote-command broker failed", exception);
        }
        finally
        {
            pending.TryRemove(request.CorrelationId, out _);
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        var payload = e.ApplicationMessage.ConvertPayloadToString();
        if (topic.StartsWith(EventTopicPrefix, StringComparison.Ordinal))
        {
            if (PsaMqttJson.TryRead<PsaCarEvent>(payload) is { } carEvent)
            {
                var vin = string.IsNullOrEmpty(carEvent.Vin) ? topic[EventTopicPrefix.Length..] : carEvent.Vin;
                try
                {
                    CarEventReceived?.Invoke(carEvent with { Vin = vin });
                }
                catch (Exception exception)
                {
                    // A failing subscriber must not take the broker session (and every pending command) down with it.
                    LogEventHandlerFailed(logger, vin, exception);
                }
            }
        }
        else if (PsaMqttJson.TryRead<PsaRemoteReply>(payload) is { CorrelationId: { } correlationId } reply
                 && pending.TryGetValue(correlationId, out var waiting))
        {
            LogReply(logger, correlationId, reply.ReturnCode, reply.ProcessCode);
            waiting.TrySetResult(reply);
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
        }

        client.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Connected to the PSA remote-command broker {Host}:{Port}")]
    private static partial void LogConnected(ILogger logger, string host, int port);

    [LoggerMessage(LogLevel.Information, "Published PSA command {Service} for {Vin} ({CorrelationId})")]
    private static partial void LogPublished(ILogger logger, string service, string vin, string correlationId);

    [LoggerMessage(LogLevel.Information, "PSA reply {CorrelationId}: return_code {ReturnCode}, process_code {ProcessCode}")]
    private static partial void LogReply(ILogger logger, string correlationId, string? returnCode, string? processCode);

    [LoggerMessage(LogLevel.Error, "Handling a PSA event for {Vin} failed")]
    private static partial void LogEventHandlerFailed(ILogger logger, string vin, Exception exception);

    [LoggerMessage(LogLevel.Warning, "No reply to PSA command {Service} for {Vin} ({CorrelationId}) in time")]
    private static partial void LogNoReply(ILogger logger, string service, string vin, string correlationId);
}

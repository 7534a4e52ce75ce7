using System.Threading.Channels;
using EvGateway.Vehicles;
using Microsoft.Data.Sqlite;

namespace EvGateway.History;

/// <summary>
/// The one writer of the history file. Every new status the cache gets (a cloud read or a pushed car event) is
/// queued here and written in batches on one connection, so recording never slows a status read and never asks the
/// cloud anything itself. A batch that fails is logged and dropped; the next one is written on a fresh connection.
/// </summary>
public sealed class HistoryWriter : BackgroundService
{
    private const int MaxBatch = 500;

    private readonly Channel<object> queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HistoryDatabase database;
    private readonly VehicleStatusCache cache;
    private readonly ILogger<HistoryWriter> logger;

    // Listening from construction on, not from StartAsync: the host builds every hosted service before starting
    // any, so a status that arrives while the host is still starting (a pushed event, another service's first read)
    // is queued too rather than lost.
    public HistoryWriter(HistoryDatabase database, VehicleStatusCache cache, ILogger<HistoryWriter> logger)
    {
        this.database = database;
        this.cache = cache;
        this.logger = logger;
        cache.StatusChanged += Record;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        cache.StatusChanged -= Record;
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    /// <summary>Queues a status for recording; one without a car timestamp or served stale is not a new sample.</summary>
    public void Record(VehicleStatus status)
    {
        if (HistorySample.From(status) is { } sample)
        {
            queue.Writer.TryWrite(sample);
        }
    }

    /// <summary>Completes once everything queued before the call has been committed (or dropped as a failed batch).</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!queue.Writer.TryWrite(done))
        {
            done.SetResult();
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not stopped by the token: StopAsync completes the queue, and what was queued before that is still written.
        await Task.Yield();
        var batch = new List<HistorySample>();
        var waiting = new List<TaskCompletionSource>();
        SqliteConnection? connection = null;
        try
        {
            while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
            {
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
                {
                    if (item is HistorySample sample)
                    {
                        batch.Add(sample);
                    }
                    else
                    {
                        waiting.Add((TaskCompletionSource)item);
                    }
                }

                try
                {
                    if (batch.Count > 0)
                    {
                        connection ??= database.Open();
                        HistorySamples.Insert(connection, batch);
                    }
                }
                catch (Exception failure)
                {
                    logger.LogError(failure, "Could not record {Count} history samples; they are dropped", batch.Count);
                    connection?.Dispose();
                    connection = null;
                }

                batch.Clear();
                waiting.ForEach(flush => flush.TrySetResult());
                waiting.Clear();
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }
}

package io.barcast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.barcast.api.http.ApiMetrics;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;

/**
 * What every group of routes shares: the settings, the database pool, the JSON mapper, the metrics,
 * and the Kafka clients (null when no broker is configured).
 */
public record ApiContext(
        ApiSettings settings,
        DataSource db,
        ObjectMapper mapper,
        ApiMetrics metrics,
        Producer<String, String> producer,
        Admin admin) {}

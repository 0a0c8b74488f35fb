package com.flashsale.shared.secrets;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Opens each pool connection with the password of that moment ({@link DatabasePassword}): a
 * rotated secret or a new IAM token, never the one the snapshot was taken with. When the
 * database refuses the password (SQLSTATE 28P01 or 28000) the password is refreshed and the
 * connection tried once more, so a rotation costs one extra round trip, not an error. The pool
 * hands its driver settings ({@code data-source-properties}) to a data source it makes itself, not
 * to this one: they are passed to the driver here.
 */
final class RotatingDataSource implements DataSource {

    private static final String INVALID_PASSWORD = "28P01";
    private static final String INVALID_AUTHORIZATION = "28000";

    private final String url;
    private final String user;
    private final DatabasePassword password;
    private final Properties driverSettings;
    private volatile int loginTimeout;

    RotatingDataSource(String url, String user, DatabasePassword password, Properties driverSettings) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.driverSettings = driverSettings;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return connect(password.current());
        } catch (SQLException e) {
            if (!INVALID_PASSWORD.equals(e.getSQLState()) && !INVALID_AUTHORIZATION.equals(e.getSQLState())) {
                throw e;
            }
            return connect(password.refreshed());
        }
    }

    /** The pool passes its configured user and password; the user must be this one, the password is ours. */
    @Override
    public Connection getConnection(String username, String ignoredPassword) throws SQLException {
        if (username != null && !username.equals(user)) {
            throw new SQLException("this data source logs in as " + user + ", not " + username);
        }
        return getConnection();
    }

    private Connection connect(String secret) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(driverSettings);
        properties.setProperty("user", user);
        properties.setProperty("password", secret);
        Driver driver = DriverManager.getDriver(url);
        Connection connection = driver.connect(url, properties);
        if (connection == null) {
            throw new SQLException("no JDBC driver accepts " + url);
        }
        return connection;
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // not used
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}

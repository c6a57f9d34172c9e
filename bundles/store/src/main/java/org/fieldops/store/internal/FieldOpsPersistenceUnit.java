package org.fieldops.store.internal;

import java.net.URL;
import java.util.List;
import java.util.Properties;
import javax.persistence.SharedCacheMode;
import javax.persistence.ValidationMode;
import javax.persistence.spi.ClassTransformer;
import javax.persistence.spi.PersistenceUnitInfo;
import javax.persistence.spi.PersistenceUnitTransactionType;
import javax.sql.DataSource;

/** The one persistence unit, described in code: explicit entity list, our class loader, no JTA. */
final class FieldOpsPersistenceUnit implements PersistenceUnitInfo {
  private final DataSource dataSource;
  private final ClassLoader classLoader;
  private final URL root;
  private final List<String> entities;
  private final Properties properties;

  FieldOpsPersistenceUnit(
      DataSource dataSource,
      ClassLoader classLoader,
      URL root,
      List<String> entities,
      Properties properties) {
    this.dataSource = dataSource;
    this.classLoader = classLoader;
    this.root = root;
    this.entities = List.copyOf(entities);
    this.properties = properties;
  }

  @Override
  public String getPersistenceUnitName() {
    return "fieldops";
  }

  @Override
  public String getPersistenceProviderClassName() {
    return "org.eclipse.persistence.jpa.PersistenceProvider";
  }

  @Override
  public PersistenceUnitTransactionType getTransactionType() {
    return PersistenceUnitTransactionType.RESOURCE_LOCAL;
  }

  @Override
  public DataSource getJtaDataSource() {
    return null;
  }

  @Override
  public DataSource getNonJtaDataSource() {
    return dataSource;
  }

  @Override
  public List<String> getMappingFileNames() {
    return List.of();
  }

  @Override
  public List<URL> getJarFileUrls() {
    return List.of();
  }

  @Override
  public URL getPersistenceUnitRootUrl() {
    return root;
  }

  @Override
  public List<String> getManagedClassNames() {
    return entities;
  }

  @Override
  public boolean excludeUnlistedClasses() {
    return true;
  }

  @Override
  public SharedCacheMode getSharedCacheMode() {
    return SharedCacheMode.NONE;
  }

  @Override
  public ValidationMode getValidationMode() {
    return ValidationMode.NONE;
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  @Override
  public String getPersistenceXMLSchemaVersion() {
    return "2.2";
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader;
  }

  @Override
  public void addTransformer(ClassTransformer transformer) {
    // no weaving
  }

  @Override
  public ClassLoader getNewTempClassLoader() {
    return classLoader;
  }
}

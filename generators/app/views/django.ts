import { APP_DIR } from '../../lib/image-layout.js';
import type { CommonView } from './common.js';
import { DJANGO_CONTAINER_SETTINGS, DJANGO_DEFAULT_STATIC_DIR, type ProjectModel } from './model.js';

/** The view of docker/django/wsgi_apache_settings.py: the project's settings plus what the image needs. */
export interface DjangoSettingsView extends Pick<CommonView, 'generatorVersion' | 'appDir'> {
  djangoSettingsModule: string;
  djangoContainerSettings: string;
  /** Django without its own `STATIC_ROOT`: where collectstatic writes ('' otherwise) */
  djangoDefaultStaticRoot: string;
  /** settings that read DATABASE_URL themselves: the container settings leave DATABASES alone */
  djangoReadsDatabaseUrl: boolean;
  /** the data directory SQLite's database moves to where the project is read-only ('' when none) */
  djangoSqliteDataPath: string;
}

/** The Django container settings' view. */
export function djangoSettingsView(model: ProjectModel): DjangoSettingsView {
  return {
    generatorVersion: model.generatorVersion,
    appDir: APP_DIR,
    djangoSettingsModule: model.facts.djangoSettingsModule ?? '',
    djangoContainerSettings: DJANGO_CONTAINER_SETTINGS,
    djangoDefaultStaticRoot: djangoDefaultStaticRoot(model),
    djangoReadsDatabaseUrl: model.django?.readsDatabaseUrl ?? false,
    djangoSqliteDataPath: model.djangoSqliteData?.path ?? '',
  };
}

/** Where collectstatic writes for Django without its own `STATIC_ROOT`: '' otherwise. */
export function djangoDefaultStaticRoot(model: ProjectModel): string {
  return model.django && !model.facts.djangoStatic ? DJANGO_DEFAULT_STATIC_DIR : '';
}

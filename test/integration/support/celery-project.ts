/**
 * The Django + Celery project of services.test.ts: the corpus's Django tutorial site with Celery
 * added as Celery's "First steps with Django" tells (docs.celeryq.dev/en/stable/django/
 * first-steps-with-django.html), and three views of ours that write, enqueue and read back.
 */
/** Celery's "First steps with Django", proj = mysite, and the views that use it. */
export const CELERY_FILES: Record<string, string> = {
  'mysite/celery.py': `import os

from celery import Celery

# Set the default Django settings module for the 'celery' program.
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')

app = Celery('mysite')

# Using a string here means the worker doesn't have to serialize
# the configuration object to child processes.
# - namespace='CELERY' means all celery-related configuration keys
#   should have a \`CELERY_\` prefix.
app.config_from_object('django.conf:settings', namespace='CELERY')

# Load task modules from all registered Django apps.
app.autodiscover_tasks()


@app.task(bind=True, ignore_result=True)
def debug_task(self):
    print(f'Request: {self.request!r}')
`,
  'mysite/__init__.py': `# This will make sure the app is always imported when
# Django starts so that shared_task will use this app.
from .celery import app as celery_app

__all__ = ('celery_app',)
`,
  'polls/tasks.py': `from celery import shared_task


@shared_task
def add(x, y):
    return x + y


@shared_task
def slow_add(x, y, seconds):
    import time

    time.sleep(seconds)
    return x + y
`,
  'polls/views.py': `from celery.result import AsyncResult
from django.http import JsonResponse
from django.utils import timezone

from .models import Question
from .tasks import add, slow_add


def write(request):
    question = Question.objects.create(question_text="Under load?", pub_date=timezone.now())
    return JsonResponse({"id": question.id})


def count(request):
    return JsonResponse({"questions": Question.objects.count()})


def enqueue(request):
    return JsonResponse({"task": add.delay(int(request.GET["x"]), int(request.GET["y"])).id})


def enqueue_slow(request):
    task = slow_add.delay(int(request.GET["x"]), int(request.GET["y"]), float(request.GET["seconds"]))
    return JsonResponse({"task": task.id})


def result(request, task):
    outcome = AsyncResult(task)
    return JsonResponse({"ready": outcome.ready(), "value": outcome.result if outcome.ready() else None})
`,
  'polls/urls.py': `from django.urls import path

from . import views

urlpatterns = [
    path("write/", views.write),
    path("count/", views.count),
    path("add/", views.enqueue),
    path("slow-add/", views.enqueue_slow),
    path("result/<str:task>/", views.result),
]
`,
  'mysite/urls.py': `from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("polls/", include("polls.urls")),
    path("admin/", admin.site.urls),
]
`,
};

/** What a Celery user gives: Celery reads its broker and result backend from these (celery/app/utils.py, Settings). */
export const CELERY_SETENV = ['CELERY_BROKER_URL=redis://redis:6379/0', 'CELERY_RESULT_BACKEND=redis://redis:6379/1'];

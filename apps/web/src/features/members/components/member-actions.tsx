import type { Member, PasswordResetLink, Role } from '@runner-console/contracts';
import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { CopyField } from '../../../components/ui/copy-field.tsx';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogFooter,
  DialogTrigger,
} from '../../../components/ui/dialog.tsx';
import { FieldFrame } from '../../../components/ui/text-field.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { formatDateTime } from '../../../lib/format-time.ts';
import { useIntentKeys } from '../../../lib/intent-keys.ts';
import { useChangeRole, useCreatePasswordReset, useRemoveMember } from '../api/member-queries.ts';
import { roleLabel } from '../member-labels.ts';

/** A member's row actions: change role, reset password, remove. */
export function MemberActions({ member, isYou }: { member: Member; isYou: boolean }) {
  return (
    <div className="row-actions">
      <ChangeRoleDialog member={member} />
      {member.signInMethod === 'password' ? <ResetPasswordDialog member={member} /> : null}
      <RemoveMemberButton member={member} isYou={isYou} />
    </div>
  );
}

function ChangeRoleDialog({ member }: { member: Member }) {
  const [open, setOpen] = useState(false);
  const [role, setRole] = useState<Role>(member.role);
  const change = useChangeRole();
  const toast = useToast();
  const formId = `role-${member.id}`;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          setRole(member.role);
          change.reset();
        }
      }}
    >
      <DialogTrigger>
        <Button variant="ghost">
          Change role<span className="visually-hidden"> of {member.name}</span>
        </Button>
      </DialogTrigger>
      <DialogContent title={`Change the role of ${member.name}`} dismissible={!change.isPending}>
        <form
          id={formId}
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            if (change.isPending) return;
            change.mutate(
              { userId: member.id, role },
              {
                onSuccess: () => {
                  setOpen(false);
                  toast({
                    title: `${member.name} is now ${role === 'admin' ? 'an admin' : 'a member'}`,
                    tone: 'success',
                  });
                },
              },
            );
          }}
        >
          <FieldFrame label="Role" hint="Admins manage runners, integrations and members.">
            {(control) => (
              <select
                className="select"
                {...control}
                value={role}
                onChange={(event) => setRole(event.target.value as Role)}
              >
                <option value="member">{roleLabel('member')}</option>
                <option value="admin">{roleLabel('admin')}</option>
              </select>
            )}
          </FieldFrame>
          {change.isError ? (
            <div className="form-alert" role="alert">
              {change.error.message}
            </div>
          ) : null}
        </form>
        <DialogFooter>
          <DialogClose>
            <Button disabled={change.isPending}>Cancel</Button>
          </DialogClose>
          <Button type="submit" form={formId} variant="primary" pending={change.isPending}>
            Save role
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function ResetPasswordDialog({ member }: { member: Member }) {
  const [open, setOpen] = useState(false);
  const reset = useCreatePasswordReset();
  const keys = useIntentKeys();
  const [link, setLink] = useState<PasswordResetLink | null>(null);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setLink(null);
          reset.reset();
          keys.forget();
        }
      }}
    >
      <DialogTrigger>
        <Button variant="ghost">
          Reset password<span className="visually-hidden"> of {member.name}</span>
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Reset the password of ${member.name}`}
        description={
          link
            ? `Send this link to ${member.email}. It works once, until ${formatDateTime(link.expiresAt)}, and is shown only now.`
            : `You get a link for ${member.email} that sets a new password. It works once and expires in 24 hours; an earlier link stops working. Their sessions end when they use it.`
        }
        dismissible={!reset.isPending}
        closeOnOutsideClick={!link}
      >
        {link ? <CopyField label="Password reset link" value={link.url} multiline /> : null}
        {reset.isError ? (
          <div className="form-alert" role="alert">
            {reset.error.message}
          </div>
        ) : null}
        <DialogFooter>
          {link ? (
            <DialogClose>
              <Button variant="primary">Done</Button>
            </DialogClose>
          ) : (
            <>
              <DialogClose>
                <Button disabled={reset.isPending}>Cancel</Button>
              </DialogClose>
              <Button
                variant="primary"
                pending={reset.isPending}
                onClick={() =>
                  reset.mutate(
                    { userId: member.id, idempotencyKey: keys.keyFor(member.id) },
                    { onSuccess: setLink },
                  )
                }
              >
                Create reset link
              </Button>
            </>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function RemoveMemberButton({ member, isYou }: { member: Member; isYou: boolean }) {
  const [open, setOpen] = useState(false);
  const remove = useRemoveMember();
  const toast = useToast();
  return (
    <>
      <Button
        variant="ghost"
        onClick={() => {
          remove.reset();
          setOpen(true);
        }}
      >
        Remove<span className="visually-hidden"> {member.name}</span>
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={isYou ? 'Remove yourself?' : `Remove ${member.name}?`}
        confirmLabel={isYou ? 'Remove me' : 'Remove member'}
        pending={remove.isPending}
        error={remove.error?.message}
        onConfirm={() =>
          remove.mutate(member.id, {
            onSuccess: () => {
              setOpen(false);
              toast({ title: `${member.name} was removed`, tone: 'success' });
              if (isYou) window.location.assign('/sign-in');
            },
          })
        }
      >
        {member.email} is signed out at once and can no longer sign in. Their environments are
        deleted, and the runners erase their connections to source control.
        {isYou ? ' You will be signed out.' : ''}
      </ConfirmDialog>
    </>
  );
}
